// Chat messages to prompt tokens with the model's own chat template (the Jinja template in
// the GGUF's tokenizer.chat_template), or node-llama-cpp's best guess when the file has none.
import { JinjaTemplateChatWrapper, type ChatHistoryItem, type ChatWrapper, type LlamaModel, resolveChatWrapper } from 'node-llama-cpp'
import type { ChatMessage } from './engine.js'
import { toolCallsText, toolResultText } from './tool-format.js'

export class ChatTemplate {
  private readonly wrapper: ChatWrapper

  constructor(private readonly model: LlamaModel) {
    const template = model.fileInfo.metadata.tokenizer?.chat_template
    this.wrapper = typeof template === 'string' && template !== ''
      ? new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer })
      : resolveChatWrapper(model)
  }

  /**
   * The prompt for the model's next (assistant) message, without the BOS token; with
   * `continueFrom`, that message is open and already begins with it.
   */
  tokenize(messages: readonly ChatMessage[], continueFrom = '', instruction?: string): number[] {
    // Function calls and their results in the format of src/inference/tool-format.ts, which
    // templates without tool support can hold: calls as the assistant's text, results as the user's.
    const chatHistory: ChatHistoryItem[] = messages.map((m) =>
      m.role === 'system' ? { type: 'system', text: m.content }
        : m.role === 'user' ? { type: 'user', text: m.content }
          : m.role === 'tool' ? { type: 'user', text: toolResultText(m) }
            : { type: 'model', response: [m.toolCalls !== undefined && m.toolCalls.length > 0 ? toolCallsText(m.toolCalls) : m.content] })
    if (instruction !== undefined) {
      const first = chatHistory[0]
      if (first?.type === 'system' && typeof first.text === 'string') first.text = `${instruction}\n\n${first.text}`
      else chatHistory.unshift({ type: 'system', text: instruction })
    }
    // A model turn at the end asks the template for the generation prompt, left open.
    chatHistory.push({ type: 'model', response: continueFrom === '' ? [] : [continueFrom] })
    const { contextText } = this.wrapper.generateContextState({ chatHistory })
    return contextText.tokenize(this.model.tokenizer)
  }
}
