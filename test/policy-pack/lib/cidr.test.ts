/** lib/cidr: which ranges reach public addresses. */
import { expect } from "chai";
import { reachesPublicAddresses } from "../../../policy-pack/lib/cidr";

describe("policy-pack/lib/cidr reachesPublicAddresses", () => {
  it("keeps private ranges private", () => {
    for (const c of [
      "10.0.0.0/8",
      "10.20.4.0/24",
      "172.16.0.0/12",
      "172.31.255.0/24",
      "192.168.1.1/32",
      "100.64.0.0/10",
      "fd00::/8",
      "fc00::/7",
      "fd12:3456::/48",
    ]) {
      expect(reachesPublicAddresses(c), c).to.equal(false);
    }
  });
  it("flags the internet, public ranges, ranges wider than a private block and unreadable text", () => {
    for (const c of [
      "0.0.0.0/0",
      "::/0",
      "8.8.8.8/32",
      "52.95.0.0/16",
      "10.0.0.0/7",
      "172.0.0.0/8",
      "2600:1f18::/32",
      "fc00::/6",
      "not-a-cidr",
      "300.1.1.1/32",
      "10.0.0.0/33",
    ]) {
      expect(reachesPublicAddresses(c), c).to.equal(true);
    }
  });
});
