/**
 * Tests of policy-pack/lib/tags.ts: a resource's effective tags.
 */
import { expect } from "chai";
import { effectiveTags } from "../../../policy-pack/lib/tags";
import { unknown } from "../harness";

describe("policy-pack/lib/tags", () => {
  it("merges provider default tags under the resource's own tags", () => {
    const t = effectiveTags({ tags: { owner: "me" } }, { props: { defaultTags: { tags: { owner: "team", project: "p" } } } });
    expect(t).to.deep.equal({ tags: { owner: "me", project: "p" }, unknown: false, declared: true });
    expect(effectiveTags({ tags: unknown("object") }).unknown).to.equal(true);
  });
});
