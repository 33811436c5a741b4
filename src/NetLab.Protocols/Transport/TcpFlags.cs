namespace NetLab.Protocols.Transport;

/// <summary>TCP control bits (RFC 9293 section 3.1; ECE and CWR from RFC 3168; AE, formerly NS, from RFC 3540).</summary>
[Flags]
#pragma warning disable CA1028 // Nine wire bits; a 16-bit enum holds them exactly.
public enum TcpFlags : ushort
#pragma warning restore CA1028
{
    None = 0,
    Fin = 0x001,
    Syn = 0x002,
    Rst = 0x004,
    Psh = 0x008,
    Ack = 0x010,
    Urg = 0x020,
    Ece = 0x040,
    Cwr = 0x080,
    Ae = 0x100,
}
