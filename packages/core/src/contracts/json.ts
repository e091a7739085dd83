/** A JSON-serialisable value: everything that changes output values is data of this type. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
