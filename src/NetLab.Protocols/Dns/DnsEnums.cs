namespace NetLab.Protocols.Dns;

/// <summary>Resource record TYPE values (RFC 1035 3.2.2, RFC 3596, RFC 2782, RFC 6891, IANA registry).
/// Names match the mnemonics that dig, tcpdump and master files use.</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    HINFO = 13,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    NAPTR = 35,
    OPT = 41,
    DS = 43,
    SSHFP = 44,
    RRSIG = 46,
    NSEC = 47,
    DNSKEY = 48,
    NSEC3 = 50,
    IXFR = 251,
    AXFR = 252,
    ANY = 255,
    URI = 256,
    CAA = 257,
}

/// <summary>CLASS values (RFC 1035 3.2.4).</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    HS = 4,
    None = 254,
    Any = 255,
}

/// <summary>OPCODE values (RFC 1035 4.1.1, RFC 1996, RFC 2136).</summary>
public enum DnsOpCode : byte
{
    Query = 0,
    InverseQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}

/// <summary>RCODE values; 16 and above need the EDNS0 extended bits (RFC 6891 6.1.3, RFC 7873).</summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    YXDomain = 6,
    YXRRSet = 7,
    NXRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
    BadVers = 16,
    BadCookie = 23,
}
