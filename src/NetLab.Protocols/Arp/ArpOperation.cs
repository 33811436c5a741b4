namespace NetLab.Protocols.Arp;

/// <summary>ARP opcodes (RFC 826; RFC 903 for the reverse pair).</summary>
#pragma warning disable CA1028 // The wire field is 16 bits; the enum mirrors it.
public enum ArpOperation : ushort
#pragma warning restore CA1028
{
    Request = 1,
    Reply = 2,
    ReverseRequest = 3,
    ReverseReply = 4,
}
