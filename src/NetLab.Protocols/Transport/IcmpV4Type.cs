namespace NetLab.Protocols.Transport;

/// <summary>ICMPv4 message types (RFC 792, RFC 1256 for router discovery).</summary>
#pragma warning disable CA1028 // The wire field is 8 bits; the enum mirrors it.
public enum IcmpV4Type : byte
{
    EchoReply = 0,
    DestinationUnreachable = 3,
    SourceQuench = 4,
    Redirect = 5,
    EchoRequest = 8,
    RouterAdvertisement = 9,
    RouterSolicitation = 10,
    TimeExceeded = 11,
    ParameterProblem = 12,
    Timestamp = 13,
    TimestampReply = 14,
}

/// <summary>Codes of Destination Unreachable (RFC 792; RFC 1122 section 3.2.2.1; RFC 1812 section 5.2.7.1).</summary>
public enum IcmpV4UnreachableCode : byte
{
    NetUnreachable = 0,
    HostUnreachable = 1,
    ProtocolUnreachable = 2,
    PortUnreachable = 3,
    /// <summary>Fragmentation needed and DF set; the next-hop MTU is in the header (RFC 1191 section 4).</summary>
    FragmentationNeeded = 4,
    SourceRouteFailed = 5,
    DestinationNetworkUnknown = 6,
    DestinationHostUnknown = 7,
    SourceHostIsolated = 8,
    NetworkAdministrativelyProhibited = 9,
    HostAdministrativelyProhibited = 10,
    NetworkUnreachableForTos = 11,
    HostUnreachableForTos = 12,
    CommunicationAdministrativelyProhibited = 13,
    HostPrecedenceViolation = 14,
    PrecedenceCutoffInEffect = 15,
}

/// <summary>Codes of Time Exceeded (RFC 792).</summary>
public enum IcmpV4TimeExceededCode : byte
{
    TtlExceededInTransit = 0,
    FragmentReassemblyTimeExceeded = 1,
}
#pragma warning restore CA1028
