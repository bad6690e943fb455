// `mesh api`'s gateway under many streaming clients at once, over the real engine on a tiny
// generated model: no errors, every client served and about equally, nothing left behind.
// `npm run test:soak` runs the same for minutes.
import { test } from 'node:test'
import { checkLoad, loadFixture, summary } from '../helpers/api-load-fixture.js'

test('50 streaming clients for a bounded time: no errors, fair shares, no leak', { timeout: 300_000 }, async (t) => {
  const fixture = await loadFixture()
  try {
    const run = await fixture.run({ clients: 50, durationMs: 10_000, maxTokens: 8 })
    t.diagnostic(JSON.stringify(summary(run)))
    checkLoad(run, 8)
  } finally {
    await fixture.close()
  }
})
