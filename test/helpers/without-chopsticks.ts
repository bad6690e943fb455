// A test double for a machine where chopsticks (a development dependency, absent where mesh is installed as a package) is not installed: loaded
// with `node --import`, it makes resolving the package fail as a missing package does.
import { register } from 'node:module'
import { isMainThread } from 'node:worker_threads'

// The same file is the hooks module, which runs on the loader's own thread.
if (isMainThread) register(import.meta.url)

type Resolve = (specifier: string, context: unknown) => Promise<unknown>

export async function resolve(specifier: string, context: unknown, next: Resolve): Promise<unknown> {
  if (specifier === '@acala-network/chopsticks') {
    throw Object.assign(new Error(`Cannot find package '${specifier}' (hidden by test/helpers/without-chopsticks)`), { code: 'ERR_MODULE_NOT_FOUND' })
  }
  return next(specifier, context)
}
