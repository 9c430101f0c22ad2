/**
 * Writes to standard output and resolves once the text is handed to the system. The
 * command-line tools end with `process.exit`, which drops output still buffered for a
 * slow reader: a pipe takes 64 KB at a time, so `ask --file` or `eval --json` piped into
 * another program lost everything past that.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
