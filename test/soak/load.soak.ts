// The long load run of `npm run test:soak`: 50 streaming clients on the API for
// MESH_SOAK_MINUTES (default 5), with the checks of test/api/load.test.ts.
import { test } from 'node:test'
import { checkLoad, loadFixture, summary } from '../helpers/api-load-fixture.js'
import { soakMinutes } from './minutes.js'

const MAX_TOKENS = 16

test(`50 streaming clients for ${soakMinutes()} minutes: no errors, fair shares, no leak`, { timeout: soakMinutes() * 60_000 + 600_000 }, async (t) => {
  const fixture = await loadFixture()
  try {
    const run = await fixture.run({ clients: 50, durationMs: soakMinutes() * 60_000, maxTokens: MAX_TOKENS })
    t.diagnostic(JSON.stringify(summary(run)))
    checkLoad(run, MAX_TOKENS)
  } finally {
    await fixture.close()
  }
})
