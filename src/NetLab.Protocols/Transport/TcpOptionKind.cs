namespace NetLab.Protocols.Transport;

/// <summary>TCP option kinds (IANA TCP Parameters registry).</summary>
#pragma warning disable CA1028 // The wire field is 8 bits; the enum mirrors it.
public enum TcpOptionKind : byte
#pragma warning restore CA1028
{
    EndOfOptionList = 0,
    NoOperation = 1,
    /// <summary>RFC 9293 section 3.2: length 4, allowed only on SYN segments.</summary>
    MaximumSegmentSize = 2,
    /// <summary>RFC 7323 section 2: length 3.</summary>
    WindowScale = 3,
    /// <summary>RFC 2018 section 2: length 2.</summary>
    SackPermitted = 4,
    /// <summary>RFC 2018 section 3: length 2 + 8n.</summary>
    Sack = 5,
    /// <summary>RFC 7323 section 3: length 10.</summary>
    Timestamps = 8,
    Md5Signature = 19,
    UserTimeout = 28,
    AuthenticationOption = 29,
    Multipath = 30,
    FastOpenCookie = 34,
}
