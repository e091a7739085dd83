/** metadata.json, wherever it lives (a path in Node, a File in a browser). */
export interface MetadataInput {
  /** Name used in error messages, e.g. the file path. */
  readonly name: string;
  read(): Promise<Uint8Array>;
}
