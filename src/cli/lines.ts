/**
 * Splits a text stream into lines (`@std/streams` is not reachable here).
 *
 * @module
 */

/**
 * @example
 * ```ts
 * for await (const line of readable.pipeThrough(new TextDecoderStream()).pipeThrough(new TextLineStream())) {}
 * ```
 */
export class TextLineStream extends TransformStream<string, string> {
  constructor() {
    let buffer = "";
    super({
      transform(chunk, controller) {
        buffer += chunk;
        const lines = buffer.split(/\r?\n/);
        buffer = lines.pop() ?? "";
        for (const line of lines) controller.enqueue(line);
      },
      flush(controller) {
        if (buffer) controller.enqueue(buffer);
      },
    });
  }
}
