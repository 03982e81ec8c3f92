import { escapeHtml } from './html';

describe('escapeHtml', () => {
  it('turns the five characters that can end text or a quoted attribute into entities', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('leaves other text as it is, Unicode included', () => {
    expect(escapeHtml('Zoë · 注文 #42')).toBe('Zoë · 注文 #42');
  });
});
