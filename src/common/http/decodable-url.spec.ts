import { decodableUrl } from './decodable-url';

describe('decodableUrl', () => {
  it('leaves a URL that decodes alone, escapes and query included', () => {
    for (const url of ['/api/v1/products', '/api/v1/products/a%20b?q=%ff', '/api/v1/orders/%C3%A9']) expect(decodableUrl(url)).toBe(url);
  });

  it('takes the % signs of a path that does not decode literally, and keeps its query as it was', () => {
    expect(decodableUrl('/api/v1/orders/%ff')).toBe('/api/v1/orders/%25ff');
    expect(decodableUrl('/api/v1/orders/%zz/cancel?x=%41')).toBe('/api/v1/orders/%25zz/cancel?x=%41');
    expect(decodeURIComponent(decodableUrl('/api/v1/orders/%ed%a0%80'))).toBe('/api/v1/orders/%ed%a0%80');
  });
});
