/** Constants of x/distribution (its store layout is declared in keeper.ts). */
/** A period or height as 20 padded digits (how keys and pagination keys sort by them). */
export { padUint as pad } from "../../chain/store/collections.ts";

export { DISTRIBUTION_MODULE } from "../../chain/module-accounts.ts";
