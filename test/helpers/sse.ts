// The events of a server-sent event stream (what the OpenAI endpoints stream), one string each
// ("data: {...}" or "data: [DONE]"), as they arrive.
export async function * sseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let buffer = ''
  const decoder = new TextDecoder()
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true })
    for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
      yield buffer.slice(0, i)
      buffer = buffer.slice(i + 2)
    }
  }
}
