import { testModelFile } from './dist/src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from './dist/src/inference/llama-engine.js'
const engine = await openLlamaEngine({ model: testModelFile({ quant: 'q8_0' }), threads: 1, parallel: 2 })
const collect = async (req) => { let t = ''; const lp = []; let fin; for await (const c of engine.generate(req)) { t += c.text; if (c.logprobs) lp.push(...c.logprobs); if (c.finish) fin = c.finish } return { t, lp, fin } }
const schema = { type: 'object', properties: { name: { type: 'string', maxLength: 12 }, age: { type: 'integer' }, ok: { type: 'boolean' }, color: { enum: ['red', 'blue'] } }, required: ['name', 'age', 'ok', 'color'], additionalProperties: false }
for (let i = 0; i < 3; i++) {
  const r = await collect({ input: { messages: [{ role: 'user', content: 'hi' }] }, maxTokens: 200, seed: i, responseFormat: { type: 'json_schema', schema } })
  console.log(r.fin, JSON.stringify(r.t))
}
const o = await collect({ input: { messages: [{ role: 'user', content: 'hi' }] }, maxTokens: 200, seed: 1, responseFormat: { type: 'json_object' } })
console.log('object', o.fin, JSON.stringify(o.t))
const tools = [{ name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } }, required: ['city'] } }, { name: 'noop' }]
for (const choice of ['required', { name: 'noop' }, 'auto', 'auto']) {
  const r = await collect({ input: { messages: [{ role: 'user', content: 'weather?' }] }, maxTokens: 200, seed: 3, tools, toolChoice: choice })
  console.log('tools', JSON.stringify(choice), r.fin, JSON.stringify(r.t))
}
const l = await collect({ input: { prompt: 'the' }, maxTokens: 4, logprobs: 3, temperature: 0 })
console.log(JSON.stringify(l.lp))
const l2 = await collect({ input: { prompt: 'the' }, maxTokens: 4, logprobs: 3 })
console.log(JSON.stringify(l2.lp))
const e = await engine.embed(['hello', 'world'])
console.log(e.tokens, e.vectors.length, e.vectors[0].length, Math.hypot(...e.vectors[0]))
const p = await collect({ input: { prompt: 'the' }, maxTokens: 30, presencePenalty: 1.5, frequencyPenalty: 1, temperature: 0 })
const p0 = await collect({ input: { prompt: 'the' }, maxTokens: 30, temperature: 0 })
console.log(JSON.stringify(p.t), '\n', JSON.stringify(p0.t))
await engine.close()
