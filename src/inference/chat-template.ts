// Chat messages to prompt tokens with the model's own chat template (the Jinja template in
// the GGUF's tokenizer.chat_template), or node-llama-cpp's best guess when the file has none.
import { JinjaTemplateChatWrapper, type ChatHistoryItem, type ChatWrapper, type LlamaModel, resolveChatWrapper } from 'node-llama-cpp'
import type { ChatMessage } from './engine.js'

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
  tokenize(messages: readonly ChatMessage[], continueFrom = ''): number[] {
    const chatHistory: ChatHistoryItem[] = messages.map((m) =>
      m.role === 'system' ? { type: 'system', text: m.content }
        : m.role === 'user' ? { type: 'user', text: m.content }
          : { type: 'model', response: [m.content] })
    // A model turn at the end asks the template for the generation prompt, left open.
    chatHistory.push({ type: 'model', response: continueFrom === '' ? [] : [continueFrom] })
    const { contextText } = this.wrapper.generateContextState({ chatHistory })
    return contextText.tokenize(this.model.tokenizer)
  }
}
