import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { WidgetResource } from './widget.resource.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe(WidgetResource.name, () => {
  const made: WidgetResource[] = [];
  afterEach(() => made.splice(0).forEach((sut) => sut.onModuleDestroy()));

  function setup(html: string) {
    const path = join(mkdtempSync(join(tmpdir(), 'widget-')), 'index.html');
    writeFileSync(path, html);
    const sut = new WidgetResource(path);
    made.push(sut);
    return { sut, path };
  }

  it('names the build by a hash of its content', () => {
    const a = setup('<p>a</p>').sut;
    const b = setup('<p>b</p>').sut;
    expect(a.uri).toMatch(/^ui:\/\/widget\/target-auth-[0-9a-f]{12}\.html$/);
    expect(a.uri).not.toBe(b.uri);
    expect(setup('<p>a</p>').sut.uri).toBe(a.uri);
  });

  it('serves a rebuilt file under its new URI, and ignores a rewrite with the same content', async () => {
    const { sut, path } = setup('<p>first</p>');
    const first = sut.uri;
    writeFileSync(path, '<p>second</p>');
    await settle();
    expect(sut.html).toBe('<p>second</p>');
    expect(sut.uri).not.toBe(first);
    expect(sut.version).toBe(1);
    writeFileSync(path, '<p>second</p>');
    await settle();
    expect(sut.version).toBe(1);
  });

  it('refuses to start without a built widget', () => {
    expect(() => new WidgetResource(join(tmpdir(), 'no-such-widget.html'))).toThrow(/build it first/);
  });
});
