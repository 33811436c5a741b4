namespace NetLab.Protocols.Ethernet;

/// <summary>EtherType values (IEEE 802 numbers registry); values below 0x0600 are IEEE 802.3 length fields.</summary>
#pragma warning disable CA1028 // The wire field is 16 bits; the enum mirrors it.
public enum EtherType : ushort
#pragma warning restore CA1028
{
    IPv4 = 0x0800,
    Arp = 0x0806,
    WakeOnLan = 0x0842,
    ReverseArp = 0x8035,
    Vlan = 0x8100,
    IPv6 = 0x86DD,
    Lacp = 0x8809,
    Mpls = 0x8847,
    PppoeDiscovery = 0x8863,
    PppoeSession = 0x8864,
    Eapol = 0x888E,
    QinQ = 0x88A8,
    Lldp = 0x88CC,
}
