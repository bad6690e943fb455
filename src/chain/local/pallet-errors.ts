// The pallet's errors, by their runtime-metadata names and docs, so the local chain fails the way
// the real one does: code `network.<Name>`, message `network.<Name>: <meaning>`.
import { ChainError } from '../errors.js'

const MEANING = {
  InvalidSubnetId: "subnet doesn't exist",
  SubnetNameExist: 'subnet name already exists',
  InvalidSubnetMinStake: 'minimum stake is outside the allowed range',
  InvalidSubnetMaxStake: 'maximum stake is above the network maximum',
  InvalidSubnetStakeParameters: 'minimum stake is above maximum stake',
  InvalidSubnetRegistrationInitialColdkeys: 'the number of initial coldkeys must be at least the minimum node count',
  NotEnoughBalanceToRegisterSubnet: "wallet doesn't have enough balance to register a subnet",
  NotSubnetOwner: 'not the subnet owner',
  SubnetActivatedAlready: 'subnet is already activated',
  SubnetActivationConditionsNotMetYet: 'conditions to activate the subnet are not reached (too few nodes)',
  SubnetMustBeRegisteringOrActivated: 'subnet must be registering or activated',
  SubnetMustBeActive: 'subnet state must be active to perform this action',
  ColdkeyRegistrationWhitelist: 'coldkey not whitelisted to register while the subnet is in registration',
  MaxSubnetNodes: 'max subnet nodes reached',
  InvalidPeerId: 'peer id format invalid',
  InvalidBootnodePeerId: 'bootnode peer id format invalid',
  InvalidClientPeerId: 'client peer id format invalid',
  PeerIdExist: 'peer id already in use in subnet (peer, client and bootnode peer ids must be unique)',
  BootnodePeerIdExist: 'bootnode peer id already in use in subnet',
  ClientPeerIdExist: 'client peer id already in use in subnet',
  PeerIdsMustBeUnique: "a node's peer, bootnode and client peer ids must differ",
  HotkeyHasOwner: 'hotkey has an owner and hotkeys must be unique to each node; use a fresh hotkey',
  ColdkeyMatchesHotkey: 'coldkey and hotkey must differ',
  NotKeyOwner: 'not the key owner',
  InvalidHotkeySubnetNodeId: "hotkey doesn't have a subnet node",
  InvalidSubnetNodeId: 'no such subnet node, or the node may not do this',
  MinStakeNotReached: 'stake is below the subnet minimum',
  MaxStakeReached: 'stake would exceed the subnet maximum',
  NotEnoughBalanceToStake: 'not enough balance on account to stake and keep alive',
  NotEnoughStakeToWithdraw: 'not enough stake to withdraw',
  AmountZero: 'amount entered is zero, must be greater than',
  ElectedValidatorCannotUnstake: 'elected validator on current epoch cannot unstake',
  NoElectedValidator: 'validator not elected on subnet epoch',
  InvalidValidator: 'not epoch validator',
  SubnetRewardsAlreadySubmitted: 'subnet rewards data already submitted by validator',
  InvalidSubnetConsensusSubmission: "consensus submission doesn't exist on this epoch",
  AlreadyAttested: 'already attested validator data',
  ScoreOverflow: 'score overflow',
} as const

export type PalletErrorName = keyof typeof MEANING

function palletError(name: PalletErrorName): ChainError {
  return new ChainError(`network.${name}`, `network.${name}: ${MEANING[name]}`)
}

/** Throws `network.<name>` unless `condition` holds (the pallet's `ensure!`). */
export function ensure(condition: boolean, name: PalletErrorName): asserts condition {
  if (!condition) throw palletError(name)
}
