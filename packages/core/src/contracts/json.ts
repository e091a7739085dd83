/** A JSON-serialisable value: everything that changes output values is data of this type. */
export type Json = null | boolean | number | string | JsonArray | JsonObject;

// Interfaces rather than an inline recursive alias: a consumer's type checker expands an inline
// alias eagerly inside valibot's deep-readonly default types ("excessively deep" with skipLibCheck
// off); interfaces are expanded lazily. Assignability is unchanged.
/** A JSON array. */
export interface JsonArray extends Array<Json> {}
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}
