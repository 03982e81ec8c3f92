import { addressBucket } from './address-bucket';

describe('addressBucket', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressBucket('192.0.2.1')).toBe('192.0.2.1');
  });

  it('counts an IPv6 address as its /64, written one way however the address was', () => {
    expect(addressBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:DB8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8::/64');
    expect(addressBucket('0:0:0:1::5')).toBe('0:0:0:1::/64');
    expect(addressBucket('::2')).toBe('::/64');
    expect(addressBucket('2001:db8:1:2::192.0.2.1')).toBe('2001:db8:1:2::/64');
  });

  it('counts an IPv4-mapped address as its IPv4 address, and keeps the loopback', () => {
    expect(addressBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressBucket('::FFFF:C000:0201')).toBe('192.0.2.1');
    expect(addressBucket('0:0:0:0:0:0:0:1')).toBe('::1');
  });

  it('ignores a zone id, and leaves what is not an address alone', () => {
    expect(addressBucket('fe80::1%eth0')).toBe('fe80::/64');
    expect(addressBucket('192.0.2.1%eth0')).toBe('192.0.2.1');
    expect(addressBucket('unknown')).toBe('unknown');
  });
});
