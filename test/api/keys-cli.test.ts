import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashSecret } from "../../src/api/auth.js";
import { cliActor } from "../../src/cli/commands/project-store.js";
import type { Store } from "../../src/engine/store.js";
import { openStore, stateDirOf } from "../../src/storage/open-store.js";
import { runCli } from "../cli/capture.js";

/** The project's store, opened for one look and closed again (the CLI opens it for each command). */
async function inStore<T>(project: string, look: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ stateDir: stateDirOf(project), project: "shop" });
  try {
    return await look(store);
  } finally {
    await store.close();
  }
}

describe("slipway keys", () => {
  let project: string;
  const keys = (...argv: string[]) => runCli("keys", ...argv, "--project", project);
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-keys-"));
    project = join(dir, "slipway.yaml");
    writeFileSync(
      project,
      ["apiVersion: slipway/v1", "kind: Project", "name: shop", "environments:", "  - name: dev", "  - name: test", "  - name: prod", "targets:", ...["dev", "test", "prod"].map((e) => `  ${e}: { region: us-east-1, cluster: shop-${e} }`), ""].join("\n"),
    );
  });

  it("creates a key, printing its secret once on stdout; the store keeps only its hash, and the write is audited", async () => {
    const created = await keys("create", "ci-dev", "--read", "--deploy", "dev,test", "--approve", "dev");
    expect(created.code).toBe(0);
    expect(created.out).toHaveLength(1);
    const secret = created.out[0] as string;
    expect(secret).toMatch(/^slw_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toBe(
      ["created key ci-dev (read: yes; create releases: no; deploy: dev, test; approve: dev)", "This is the only time the key is shown: slipway keeps only its hash. Send it as Authorization: Bearer <key>."].join("\n"),
    );
    await inStore(project, async (store) => {
      expect(await store.keys.findByHash(hashSecret(secret))).toMatchObject({ name: "ci-dev", scopes: { read: true, createReleases: false, deploy: ["dev", "test"], approve: ["dev"] } });
      const audit = await store.audit.list();
      expect(audit).toEqual([expect.objectContaining({ actor: cliActor(), action: "key.create", subject: "ci-dev" })]);
      expect(JSON.stringify(audit)).not.toContain(secret);
    });

    const everywhere = await keys("create", "ops", "--create-releases", "--deploy", "*", "--approve", "prod,*");
    expect(everywhere.code).toBe(0);
    expect(everywhere.err).toContain("deploy: every environment; approve: every environment");
  });

  it("lists keys and scopes, as text or JSON, never a secret nor its hash", async () => {
    const secret = (await keys("create", "reader", "--read")).out[0] as string;
    const text = await keys("list");
    expect(text.code).toBe(0);
    expect(text.out).toEqual([
      expect.stringMatching(/^ci-dev {2}read: yes; create releases: no; deploy: dev, test; approve: dev {2}created \S+$/),
      expect.stringMatching(/^ops {2}read: no; create releases: yes; deploy: every environment; approve: every environment {2}created \S+$/),
      expect.stringMatching(/^reader {2}read: yes; create releases: no; deploy: none; approve: none {2}created \S+$/),
    ]);
    const json = await keys("list", "--json");
    const listed = JSON.parse(json.out.join("\n")) as Record<string, unknown>[];
    expect(listed.map((k) => Object.keys(k).sort())).toEqual([
      ["createdAt", "id", "name", "scopes"],
      ["createdAt", "id", "name", "scopes"],
      ["createdAt", "id", "name", "scopes"],
    ]);
    for (const output of [text.out.join("\n"), json.out.join("\n")]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(hashSecret(secret));
    }
  });

  it("revokes a key: the API no longer finds it, the list says so, and revoking twice is refused", async () => {
    const secret = (await keys("create", "leaving", "--read")).out[0] as string;
    const revoked = await keys("revoke", "leaving");
    expect(revoked.code).toBe(0);
    expect(revoked.out[0]).toMatch(/^revoked key leaving at \S+: requests with it are refused from now on$/);
    await inStore(project, async (store) => {
      expect(await store.keys.findByHash(hashSecret(secret))).toBeUndefined();
      expect((await store.audit.list()).map((e) => [e.actor, e.action, e.subject]).at(0)).toEqual([cliActor(), "key.revoke", "leaving"]);
    });
    expect((await keys("list")).out.find((l) => l.startsWith("leaving"))).toMatch(/REVOKED \S+$/);
    const again = await keys("revoke", "leaving");
    expect(again.code).toBe(4);
    expect(again.err).toContain('The key "leaving" was revoked already');
    const unknown = await keys("revoke", "nobody");
    expect(unknown.code).toBe(5);
    expect(unknown.err).toContain('There is no key named "nobody".');
  });

  it("refuses unknown environments, a key with no scope, a bad name and a taken one — creating nothing", async () => {
    const staging = await keys("create", "ci-staging", "--deploy", "dev,staging");
    expect(staging.code).toBe(2);
    expect(staging.err).toContain("error: --deploy dev,staging names environments this project does not have: staging.");
    expect(staging.err).toContain("hint: The environments are dev, test, prod");
    const nothing = await keys("create", "idle");
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain("A key with no scope could do nothing.");
    const colon = await keys("create", "cli:alice", "--read");
    expect(colon.code).toBe(2);
    expect(colon.err).toContain('"cli:alice" is not a key name.');
    const taken = await keys("create", "ci-dev", "--read");
    expect(taken.code).toBe(4);
    expect(taken.err).toContain('There is a key named "ci-dev" already');
    await inStore(project, async (store) => expect((await store.keys.list()).map((k) => k.name)).toEqual(["ci-dev", "ops", "reader", "leaving"]));
  });
});

describe("slipway serve", () => {
  it("refuses --open on an address other people can reach, before reading or binding anything", async () => {
    const refused = await runCli("serve", "--open", "--host", "0.0.0.0", "--project", "does-not-exist.yaml");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("error: --open is refused on 0.0.0.0: anyone who can reach that address could create releases and deploy to every environment.");
  });
});
