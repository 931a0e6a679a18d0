/** Store keys of x/distribution. Periods and heights are zero-padded so keys sort by them. */
const P = "distribution/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  feePool: P + "fee_pool",
  withdrawAddrs: P + "withdraw_addr/",
  withdrawAddr: (del: string) => `${P}withdraw_addr/${del}`,
  outstandingAll: P + "outstanding/",
  outstanding: (val: string) => `${P}outstanding/${val}`,
  commissionAll: P + "commission/",
  commission: (val: string) => `${P}commission/${val}`,
  currentAll: P + "current/",
  current: (val: string) => `${P}current/${val}`,
  historicalAll: P + "historical/",
  historicalOf: (val: string) => `${P}historical/${val}/`,
  historical: (val: string, period: bigint) => `${P}historical/${val}/${pad(period)}`,
  startingAll: P + "starting/",
  startingOf: (val: string) => `${P}starting/${val}/`,
  starting: (val: string, del: string) => `${P}starting/${val}/${del}`,
  slashesAll: P + "slashes/",
  slashesOf: (val: string) => `${P}slashes/${val}/`,
  slash: (val: string, height: bigint, period: bigint) => `${P}slashes/${val}/${pad(height)}/${pad(period)}`,
};

export { DISTRIBUTION_MODULE } from "../../chain/module-accounts.ts";
