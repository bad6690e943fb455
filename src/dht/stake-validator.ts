// Proof of stake: a storing node keeps records only of writers that are registered subnet nodes.
// The RPC layer's StakeCache answers (successes kept 5 min, failures 20 s), so a burst of records
// costs one chain query per writer.
import type { NodeClass } from '../chain/chain.js'
import { errorMessage } from '../errors.js'
import type { StakeCache } from '../rpc/stake-cache.js'
import { RecordRefused } from './errors.js'
import type { RecordValidator } from './validation.js'

export function stakeValidator(components: { stake: StakeCache }, init: { minClass?: NodeClass } = {}): RecordValidator {
  const minClass = init.minClass ?? 'Registered'
  return {
    name: 'stake',
    priority: 10,
    async validate(record, context) {
      let staked: boolean
      try {
        staked = await components.stake.hasStake(record.subkey, minClass)
      } catch (err) {
        throw new RecordRefused('DHT_NOT_STAKED', `cannot check the stake of ${record.subkey}: ${errorMessage(err)}`)
      }
      if (!staked) throw new RecordRefused('DHT_NOT_STAKED', `${record.subkey} is not a registered node of subnet ${context.subnetId}`)
    },
  }
}
