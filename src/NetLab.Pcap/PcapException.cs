namespace NetLab.Pcap;

/// <summary>What went wrong, so callers can react (or print a hint) without parsing messages.</summary>
public enum PcapErrorKind
{
    /// <summary>The interface does not exist (in this network namespace).</summary>
    NoSuchDevice,

    /// <summary>Capturing or sending needs root or CAP_NET_RAW.</summary>
    PermissionDenied,

    /// <summary>libpcap could not compile the filter expression.</summary>
    BadFilter,

    /// <summary>The interface exists but is not up.</summary>
    InterfaceDown,

    /// <summary>Reading or writing a capture file, or sending/receiving a frame, failed.</summary>
    Io,

    /// <summary>Anything else libpcap reported.</summary>
    Other,
}

/// <summary>A libpcap failure with a message fit to show a user as is.</summary>
public sealed class PcapException : Exception
{
    public PcapException(PcapErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public PcapException()
        : this(PcapErrorKind.Other, "libpcap reported an error")
    {
    }

    public PcapException(string message)
        : this(PcapErrorKind.Other, message)
    {
    }

    public PcapException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = PcapErrorKind.Other;
    }

    public PcapErrorKind Kind { get; }
}
