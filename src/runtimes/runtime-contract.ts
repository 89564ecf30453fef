import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../test/support/wait-for.js';
import type { Instance, InstanceSpec, Runtime } from './runtime.js';

/** What a runtime's test file hands to the contract suite. */
export interface RuntimeUnderTest {
  runtime: Runtime;
  /** A startable spec with this app and id (the instance should serve HTTP on its endpoint if any). */
  spec(app: string, id: string): InstanceSpec;
  /** Makes the running instance die by itself (not through `stop`). */
  crash(id: string): Promise<void>;
  /** Stops everything the setup started. */
  teardown(): Promise<void>;
}

/**
 * Registers the node:test cases every Runtime adapter must pass (fake, process, docker, kubernetes).
 * `setup` runs once before the cases; each case uses its own app and instance ids.
 */
export function runtimeContract(name: string, setup: () => Promise<RuntimeUnderTest>): void {
  describe(`runtime contract: ${name}`, () => {
    let t: RuntimeUnderTest;
    let runtime: Runtime;
    before(async () => {
      t = await setup();
      runtime = t.runtime;
    });
    after(async () => t?.teardown());

    const exitedOrGone = async (id: string): Promise<boolean> => {
      const instance = await runtime.get(id);
      return instance === undefined || instance.phase === 'Exited';
    };

    it('start returns a Running instance with the spec identity', async () => {
      const spec = t.spec('alpha', 'alpha-1-blue-0');
      const instance = await runtime.start(spec);
      assert.equal(instance.phase, 'Running');
      assert.deepEqual(identity(instance), identity(spec));
      assert.equal(typeof instance.startedAt, 'number');
      assertUsage(instance);
      await runtime.stop(spec.id);
      assertUsage(await runtime.get(spec.id));
    });

    it('start is idempotent on the id', async () => {
      const spec = t.spec('bravo', 'bravo-1-blue-0');
      const [first, second] = await Promise.all([runtime.start(spec), runtime.start(spec)]);
      const third = await runtime.start(spec);
      assert.deepEqual(second?.endpoint, first?.endpoint);
      assert.deepEqual(third.endpoint, first?.endpoint);
      assert.equal((await runtime.list('bravo')).length, 1);
      await runtime.stop(spec.id);
    });

    it('get of an unknown id is undefined', async () => {
      assert.equal(await runtime.get('nobody-1-blue-0'), undefined);
    });

    it('list filters by app and shows only its own instances', async () => {
      await runtime.start(t.spec('charlie', 'charlie-1-blue-0'));
      await runtime.start(t.spec('charlie', 'charlie-1-blue-1'));
      await runtime.start(t.spec('delta', 'delta-1-blue-0'));
      const ids = (await runtime.list('charlie')).map((i) => i.id).sort();
      assert.deepEqual(ids, ['charlie-1-blue-0', 'charlie-1-blue-1']);
      const all = (await runtime.list()).map((i) => i.id);
      for (const id of ['charlie-1-blue-0', 'charlie-1-blue-1', 'delta-1-blue-0'])
        assert.ok(all.includes(id));
      for (const instance of await runtime.list()) assertUsage(instance);
      await Promise.all(
        ['charlie-1-blue-0', 'charlie-1-blue-1', 'delta-1-blue-0'].map((id) => runtime.stop(id)),
      );
    });

    it('stop resolves once the instance is Exited or gone', async () => {
      const spec = t.spec('echo', 'echo-1-blue-0');
      await runtime.start(spec);
      await runtime.stop(spec.id);
      assert.ok(await exitedOrGone(spec.id));
      assert.ok((await runtime.list('echo')).every((i) => i.phase === 'Exited'));
    });

    it('stop twice, concurrently, and of an unknown id is fine', async () => {
      const spec = t.spec('foxtrot', 'foxtrot-1-blue-0');
      await runtime.start(spec);
      await Promise.all([runtime.stop(spec.id), runtime.stop(spec.id)]);
      await runtime.stop(spec.id);
      await runtime.stop('nobody-1-blue-1');
      assert.ok(await exitedOrGone(spec.id));
    });

    it('an instance that dies by itself is reported Exited with an exit code or signal', async () => {
      const spec = t.spec('golf', 'golf-1-blue-0');
      await runtime.start(spec);
      await t.crash(spec.id);
      const exited = await waitFor('the crashed instance to be Exited', async () => {
        const instance = await runtime.get(spec.id);
        return instance?.phase === 'Exited' && instance;
      });
      assert.ok(
        typeof exited.exitCode === 'number' || typeof exited.signal === 'string',
        'exit code or signal',
      );
      assert.equal(typeof exited.exitedAt, 'number');
    });

    it('forget removes an exited instance and is idempotent', async () => {
      const spec = t.spec('hotel', 'hotel-1-blue-0');
      await runtime.start(spec);
      await runtime.stop(spec.id);
      await runtime.forget(spec.id);
      await runtime.forget(spec.id);
      await runtime.forget('nobody-1-blue-2');
      assert.equal(await runtime.get(spec.id), undefined);
      assert.deepEqual(await runtime.list('hotel'), []);
    });

    it('an endpoint, when there is one, is on 127.0.0.1', async () => {
      const spec = t.spec('india', 'india-1-blue-0');
      const instance = await runtime.start(spec);
      if (instance.endpoint) {
        assert.equal(instance.endpoint.host, '127.0.0.1');
        assert.ok(instance.endpoint.port > 0 && instance.endpoint.port < 65_536);
      }
      await runtime.stop(spec.id);
    });
  });
}

/** A usage, when a runtime reports one, is a well-formed sample (runtimes may report none). */
function assertUsage(instance: Instance | undefined): void {
  const usage = instance?.usage;
  if (usage === undefined) return;
  assert.ok(Number.isFinite(usage.cpuSeconds) && usage.cpuSeconds >= 0, 'usage.cpuSeconds');
  assert.ok(Number.isInteger(usage.memoryBytes) && usage.memoryBytes >= 0, 'usage.memoryBytes');
  assert.ok(Number.isFinite(usage.sampledAt) && usage.sampledAt > 0, 'usage.sampledAt');
}

function identity(x: Pick<Instance, 'id' | 'app' | 'releaseId' | 'revision' | 'slot'>): unknown {
  return { id: x.id, app: x.app, releaseId: x.releaseId, revision: x.revision, slot: x.slot };
}
