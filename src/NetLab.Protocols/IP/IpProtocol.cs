namespace NetLab.Protocols.IP;

/// <summary>IANA Assigned Internet Protocol Numbers: the IPv4 Protocol and IPv6 Next Header values.</summary>
#pragma warning disable CA1028 // The wire field is 8 bits; the enum mirrors it.
public enum IpProtocol : byte
#pragma warning restore CA1028
{
    /// <summary>IPv6 Hop-by-Hop Options extension header (RFC 8200 section 4.3).</summary>
    HopByHopOptions = 0,
    Icmp = 1,
    Igmp = 2,
    /// <summary>IPv4 encapsulation (IP in IP).</summary>
    IPv4 = 4,
    Tcp = 6,
    Udp = 17,
    /// <summary>IPv6 encapsulation.</summary>
    IPv6 = 41,
    /// <summary>IPv6 Routing extension header (RFC 8200 section 4.4).</summary>
    Routing = 43,
    /// <summary>IPv6 Fragment extension header (RFC 8200 section 4.5).</summary>
    Fragment = 44,
    Gre = 47,
    /// <summary>Encapsulating Security Payload (RFC 4303): what follows is encrypted.</summary>
    Esp = 50,
    /// <summary>Authentication Header (RFC 4302): its length counts 32-bit words minus two.</summary>
    AuthenticationHeader = 51,
    IPv6Icmp = 58,
    /// <summary>Nothing follows this header (RFC 8200 section 4.7).</summary>
    NoNextHeader = 59,
    /// <summary>IPv6 Destination Options extension header (RFC 8200 section 4.6).</summary>
    DestinationOptions = 60,
    Ospf = 89,
    Vrrp = 112,
    Sctp = 132,
    /// <summary>Mobility Header (RFC 6275).</summary>
    Mobility = 135,
    UdpLite = 136,
    /// <summary>Host Identity Protocol (RFC 7401).</summary>
    Hip = 139,
    /// <summary>Shim6 Protocol (RFC 5533).</summary>
    Shim6 = 140,
}
