// The secrets of a node's open commits, kept on disk (PROTOCOL.md, "Epochs and phases": mode 0600,
// revealed after a restart). A secret is saved before its commit is stored, so that a node that
// stops between its commit and the reveal window still opens its commit when it comes back. One
// file per role and epoch, holding the reveal record ({nonce, payload}); old ones are removed.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { logger } from '../log.js'
import { decodeReveal, encodeReveal, type Reveal } from './commit.js'

const log = logger('consensus:commit-secrets')

export type CommitRole = 'hoster' | 'validator'

/** Largest secret read back: a hoster output or a score vector, well under a reveal's limit. */
const MAX_PAYLOAD_BYTES = 16 << 20
const FILE = /^(hoster|validator)-(0|[1-9][0-9]{0,14})\.reveal$/

export class CommitSecrets {
  private readonly dir: string

  constructor(init: { dir: string }) {
    this.dir = init.dir
  }

  /** Saves the secret of `role`'s commit of `epoch`, readable by this user only (mode 0600): call it before storing the commit. */
  async save(role: CommitRole, epoch: number, reveal: Reveal): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    const path = this.path(role, epoch)
    const partial = `${path}.partial`
    await writeFile(partial, encodeReveal(reveal), { mode: 0o600 })
    await rename(partial, path)
  }

  /** The saved secret of `role`'s commit of `epoch`, or undefined when there is none (or it cannot be read: then the commit cannot be opened). */
  async load(role: CommitRole, epoch: number): Promise<Reveal | undefined> {
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(await readFile(this.path(role, epoch)))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read a commit secret', { role, epoch, err: errorMessage(err) })
      return undefined
    }
    try {
      return decodeReveal(bytes, MAX_PAYLOAD_BYTES)
    } catch (err) {
      log.warn('a commit secret on disk is damaged', { role, epoch, err: errorMessage(err) })
      return undefined
    }
  }

  /** Removes the secrets of epochs before `epoch` (revealed, or too old to reveal). */
  async prune(epoch: number): Promise<void> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch {
      return
    }
    for (const name of names) {
      const match = FILE.exec(name)
      if (match !== null && Number(match[2]) < epoch) await rm(join(this.dir, name), { force: true })
    }
  }

  private path(role: CommitRole, epoch: number): string {
    return join(this.dir, `${role}-${epoch}.reveal`)
  }
}
