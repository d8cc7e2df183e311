import { BlockList } from 'node:net';
import fc from 'fast-check';
import { classifyAddress, createAddressPolicy, describeRefusal, REFUSED_IPV4, REFUSED_IPV6 } from './address-policy';
import { cidrContains, formatCidr, formatIp, parseCidr, parseIp, type IpAddress } from './ip-address';

const classify = (text: string) => {
  const ip = parseIp(text);
  if (!ip) throw new Error(`test input is not an address: ${text}`);
  return classifyAddress(ip);
};

describe('parseIp and formatIp', () => {
  it.each([
    ['127.0.0.1', 4, '127.0.0.1'],
    ['::1', 6, '::1'],
    ['[::1]', 6, '::1'],
    ['::', 6, '::'],
    ['0:0:0:0:0:0:0:1', 6, '::1'],
    ['::ffff:127.0.0.1', 6, '::ffff:7f00:1'],
    ['::FFFF:7F00:0001', 6, '::ffff:7f00:1'],
    ['2001:DB8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', 6, '2001:db8:0:1:1:1:1:1'],
    ['fe80::1%eth0', 6, 'fe80::1'],
    ['64:ff9b::10.0.0.1', 6, '64:ff9b::a00:1'],
    ['1::', 6, '1::'],
  ])('%s', (text, family, canonical) => {
    const ip = parseIp(text)!;
    expect(ip.family).toBe(family);
    expect(formatIp(ip)).toBe(canonical);
  });

  it.each(['', 'localhost', '1.2.3', '1.2.3.256', '01.2.3.4', '::g', '1:2:3:4:5:6:7:8:9', '2130706433', '[::1'])(
    'rejects %j',
    (text) => expect(parseIp(text)).toBeNull(),
  );

  it('round-trips every IPv6 address through its canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIp({ family: 6, bytes });
        expect(Array.from(parseIp(text)!.bytes)).toEqual(Array.from(bytes));
      }),
    );
  });

  it('parses CIDRs and refuses malformed ones', () => {
    expect(formatCidr(parseCidr('127.0.0.0/8')!)).toBe('127.0.0.0/8');
    expect(formatCidr(parseCidr('10.1.2.3')!)).toBe('10.1.2.3/32');
    expect(formatCidr(parseCidr('FC00::/7')!)).toBe('fc00::/7');
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'x/8', '10.0.0.0/ 8']) {
      expect(parseCidr(bad)).toBeNull();
    }
  });

  it('matches prefixes bit by bit', () => {
    const cgnat = parseCidr('100.64.0.0/10')!;
    expect(cidrContains(cgnat, parseIp('100.64.0.0')!)).toBe(true);
    expect(cidrContains(cgnat, parseIp('100.127.255.255')!)).toBe(true);
    expect(cidrContains(cgnat, parseIp('100.128.0.0')!)).toBe(false);
    expect(cidrContains(cgnat, parseIp('100.63.255.255')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!)).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!)).toBe(false);
  });
});

describe('classifyAddress', () => {
  it.each([
    // IPv4
    ['0.0.0.0', '0.0.0.0/8', 'unspecified ("this network")'],
    ['0.255.255.255', '0.0.0.0/8', 'unspecified ("this network")'],
    ['10.0.0.1', '10.0.0.0/8', 'private'],
    ['10.255.255.255', '10.0.0.0/8', 'private'],
    ['100.64.0.1', '100.64.0.0/10', 'carrier-grade NAT'],
    ['100.127.255.254', '100.64.0.0/10', 'carrier-grade NAT'],
    ['100.100.100.200', '100.100.100.200/32', 'cloud metadata service'],
    ['127.0.0.1', '127.0.0.0/8', 'loopback'],
    ['127.255.255.254', '127.0.0.0/8', 'loopback'],
    ['169.254.0.1', '169.254.0.0/16', 'link-local'],
    ['169.254.169.254', '169.254.169.254/32', 'cloud metadata service'],
    ['169.254.170.2', '169.254.170.2/32', 'cloud metadata service'],
    ['172.16.0.1', '172.16.0.0/12', 'private'],
    ['172.31.255.255', '172.16.0.0/12', 'private'],
    ['192.0.0.8', '192.0.0.0/24', 'IETF protocol assignments'],
    ['192.0.2.10', '192.0.2.0/24', 'documentation (TEST-NET-1)'],
    ['192.88.99.1', '192.88.99.0/24', '6to4 relay anycast (deprecated)'],
    ['192.168.1.1', '192.168.0.0/16', 'private'],
    ['198.18.0.1', '198.18.0.0/15', 'benchmarking'],
    ['198.19.255.255', '198.18.0.0/15', 'benchmarking'],
    ['198.51.100.7', '198.51.100.0/24', 'documentation (TEST-NET-2)'],
    ['203.0.113.9', '203.0.113.0/24', 'documentation (TEST-NET-3)'],
    ['224.0.0.1', '224.0.0.0/4', 'multicast'],
    ['239.255.255.250', '224.0.0.0/4', 'multicast'],
    ['240.0.0.1', '240.0.0.0/4', 'reserved'],
    ['255.255.255.254', '240.0.0.0/4', 'reserved'],
    ['255.255.255.255', '255.255.255.255/32', 'broadcast'],
    // IPv6
    ['::', '::/128', 'unspecified'],
    ['::1', '::1/128', 'loopback'],
    ['fd00:ec2::254', 'fd00:ec2::254/128', 'cloud metadata service'],
    ['fd00:ec2::253', 'fc00::/7', 'private (unique local)'],
    ['fc00::1', 'fc00::/7', 'private (unique local)'],
    ['fdff:ffff::1', 'fc00::/7', 'private (unique local)'],
    ['fe80::1', 'fe80::/10', 'link-local'],
    ['febf::1', 'fe80::/10', 'link-local'],
    ['fec0::1', 'fec0::/10', 'site-local (deprecated)'],
    ['ff02::1', 'ff00::/8', 'multicast'],
    ['ff05::1:3', 'ff00::/8', 'multicast'],
    ['64:ff9b:1::a00:1', '64:ff9b:1::/48', 'local-use IPv4/IPv6 translation'],
    ['100::1', '100::/64', 'discard-only'],
    ['2001::1', '2001::/32', 'Teredo tunnel'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001::/32', 'Teredo tunnel'],
    ['2001:2::1', '2001:2::/48', 'benchmarking'],
    ['2001:10::1', '2001:10::/28', 'ORCHID (deprecated)'],
    ['2001:20::1', '2001:20::/28', 'ORCHIDv2'],
    ['2001:db8::1', '2001:db8::/32', 'documentation'],
    ['3fff::1', '3fff::/20', 'documentation'],
    ['::2:0:0:1', '::/8', 'reserved'],
    ['4000::1', '2000::/3', 'outside global unicast'],
    ['e000::1', '2000::/3', 'outside global unicast'],
  ])('refuses %s as %s %s', (address, range, label) => {
    const refusal = classify(address);
    expect(refusal).toMatchObject({ range, label });
    expect(refusal?.via).toBeUndefined();
  });

  it.each([
    ['::ffff:127.0.0.1', 'IPv4-mapped', '127.0.0.1', '127.0.0.0/8'],
    ['::ffff:7f00:1', 'IPv4-mapped', '127.0.0.1', '127.0.0.0/8'],
    ['::ffff:10.0.0.1', 'IPv4-mapped', '10.0.0.1', '10.0.0.0/8'],
    ['::ffff:169.254.169.254', 'IPv4-mapped', '169.254.169.254', '169.254.169.254/32'],
    ['::ffff:0.0.0.0', 'IPv4-mapped', '0.0.0.0', '0.0.0.0/8'],
    ['::127.0.0.1', 'IPv4-compatible', '127.0.0.1', '127.0.0.0/8'],
    ['::10.0.0.1', 'IPv4-compatible', '10.0.0.1', '10.0.0.0/8'],
    ['64:ff9b::10.0.0.1', 'NAT64', '10.0.0.1', '10.0.0.0/8'],
    ['64:ff9b::169.254.169.254', 'NAT64', '169.254.169.254', '169.254.169.254/32'],
    ['64:ff9b::c0a8:101', 'NAT64', '192.168.1.1', '192.168.0.0/16'],
    ['2002:a00:1::1', '6to4', '10.0.0.1', '10.0.0.0/8'],
    ['2002:7f00:1::', '6to4', '127.0.0.1', '127.0.0.0/8'],
    ['2002:a9fe:a9fe::1', '6to4', '169.254.169.254', '169.254.169.254/32'],
  ])('refuses %s (%s of %s in %s)', (address, form, embedded, range) => {
    const refusal = classify(address)!;
    expect(refusal.via).toEqual({ form, embedded });
    expect(refusal.range).toBe(range);
    expect(describeRefusal(refusal)).toContain(`${form} address of ${embedded}, which is in ${range}`);
  });

  it('refuses an IPv4-compatible address even when what it embeds is public', () => {
    expect(classify('::8.8.8.8')).toMatchObject({ range: '::/8', label: 'reserved' });
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.1',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2001:1::1',
  ])('accepts public %s', (address) => {
    expect(classify(address)).toBeNull();
  });

  it('agrees with node:net BlockList built from the same ranges, on random addresses', () => {
    // BlockList knows nothing of the embeddings, so the comparison is on what it does know:
    // plain IPv4, and IPv6 outside the embedding prefixes.
    const v4 = new BlockList();
    for (const r of REFUSED_IPV4) v4.addSubnet(formatIp(r.cidr), r.cidr.prefix, 'ipv4');
    const v6 = new BlockList();
    v6.addAddress('::', 'ipv6');
    v6.addAddress('::1', 'ipv6');
    for (const r of REFUSED_IPV6) v6.addSubnet(formatIp(r.cidr), r.cidr.prefix, 'ipv6');
    const embeddings = ['::/96', '::ffff:0:0/96', '64:ff9b::/96', '2002::/16'].map((c) => parseCidr(c)!);
    const globalUnicast = parseCidr('2000::/3')!;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        const ip: IpAddress = { family: 4, bytes };
        expect(classifyAddress(ip) !== null).toBe(v4.check(formatIp(ip), 'ipv4'));
      }),
      { numRuns: 2000 },
    );
    // Biased towards the interesting first bytes so that the special ranges are actually hit.
    const firstBytes = fc.constantFrom(0x00, 0x01, 0x20, 0x3f, 0xfc, 0xfd, 0xfe, 0xff, 0x26, 0x2a);
    fc.assert(
      fc.property(firstBytes, fc.uint8Array({ minLength: 15, maxLength: 15 }), (first, rest) => {
        const bytes = new Uint8Array(16);
        bytes[0] = first;
        bytes.set(rest, 1);
        const ip: IpAddress = { family: 6, bytes };
        if (embeddings.some((c) => cidrContains(c, ip))) return;
        const expected = v6.check(formatIp(ip), 'ipv6') || !cidrContains(globalUnicast, ip);
        expect(classifyAddress(ip) !== null).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('classifies every embedding of every refused IPv4 range like the IPv4 address itself', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (v4) => {
        const plain = classifyAddress({ family: 4, bytes: v4 });
        const [a, b, c, d] = Array.from(v4);
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        for (const text of [`::ffff:${a}.${b}.${c}.${d}`, `64:ff9b::${a}.${b}.${c}.${d}`, `2002:${hex(a, b)}:${hex(c, d)}::1`]) {
          const embedded = classify(text);
          if (plain) expect(embedded).toMatchObject({ range: plain.range, via: { embedded: `${a}.${b}.${c}.${d}` } });
          else expect(embedded).toBeNull();
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('createAddressPolicy', () => {
  it('refuses without an allow-list and names address and range', () => {
    const policy = createAddressPolicy();
    const verdict = policy.check('169.254.169.254');
    expect(verdict.allowed).toBe(false);
    if (verdict.allowed) return;
    expect(describeRefusal(verdict.refusal)).toBe('169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)');
    expect(policy.check('93.184.216.34')).toEqual({ allowed: true, address: '93.184.216.34' });
  });

  it('exempts addresses inside an allow-listed CIDR, and only those', () => {
    const policy = createAddressPolicy(['127.0.0.1/32', '10.20.0.0/16', 'fd12:3456::/32']);
    expect(policy.allowCidrs).toEqual(['127.0.0.1/32', '10.20.0.0/16', 'fd12:3456::/32']);
    expect(policy.check('127.0.0.1')).toEqual({ allowed: true, address: '127.0.0.1', allowedBy: '127.0.0.1/32' });
    expect(policy.check('127.0.0.2').allowed).toBe(false);
    expect(policy.check('10.20.5.5')).toMatchObject({ allowed: true, allowedBy: '10.20.0.0/16' });
    expect(policy.check('10.21.0.1').allowed).toBe(false);
    expect(policy.check('fd12:3456::9')).toMatchObject({ allowed: true, allowedBy: 'fd12:3456::/32' });
    expect(policy.check('::1').allowed).toBe(false);
  });

  it('an IPv4 exemption covers the IPv4-mapped form (same destination) but not NAT64 or 6to4 ones', () => {
    const policy = createAddressPolicy(['127.0.0.0/8', '10.0.0.0/8']);
    expect(policy.check('::ffff:127.0.0.1')).toMatchObject({ allowed: true, allowedBy: '127.0.0.0/8' });
    expect(policy.check('64:ff9b::10.0.0.1').allowed).toBe(false);
    expect(policy.check('2002:a00:1::1').allowed).toBe(false);
    expect(createAddressPolicy(['64:ff9b::/96']).check('64:ff9b::10.0.0.1').allowed).toBe(true);
  });

  it('a mapped address is not exempted by an unrelated IPv4 range', () => {
    expect(createAddressPolicy(['127.0.0.1/32']).check('::ffff:127.0.0.2').allowed).toBe(false);
  });

  it('rejects malformed allow-list entries and addresses', () => {
    expect(() => createAddressPolicy(['10.0.0.0/40'])).toThrow('not a CIDR');
    expect(() => createAddressPolicy().check('example.com')).toThrow('not an IP address');
  });
});
