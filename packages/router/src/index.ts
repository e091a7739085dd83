/** Plugin id prefix of the router package. */
export const ROUTER_PACKAGE = '@spgdataset/router';
