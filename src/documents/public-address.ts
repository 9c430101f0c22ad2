import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a public bot may fetch documents from. Only globally routable unicast
 * addresses are: a link an admin pastes must not make the bot read its own machine, its
 * network or the cloud's metadata service (server-side request forgery).
 */

/**
 * Cloud metadata services (AWS, GCP, Azure, OpenStack at 169.254.169.254, AWS over IPv6,
 * Alibaba at 100.100.100.200). Each lies in a range refused anyway; they are named so the
 * refusal says what the address is.
 */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** What ipaddr.js calls each refused range, in words for a refusal. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address (this machine)',
  carrierGradeNat: 'a carrier-grade NAT address (RFC 6598)',
  private: 'a private network address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  deprecatedSiteLocal: 'a site-local (private) IPv6 address',
};

/**
 * Why `address` may not be fetched from (e.g. "a loopback address (this machine)"), or null
 * when it is a public unicast address. IPv4 written as IPv6 (`::ffff:127.0.0.1`) is judged as
 * the IPv4 address it is. IPv6 ranges that embed or tunnel to IPv4 (6to4, Teredo, NAT64) are
 * refused too: the IPv4 address behind them could be a private one.
 */
export function describeNonPublicAddress(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return 'not an IP address';
  }
  const normal = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.has(address) || METADATA_ADDRESSES.has(normal) || METADATA_ADDRESSES.has(parsed.toString())) return 'a cloud metadata service address';
  const range = parsed.range();
  if (range === 'unicast') return null;
  return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
}
