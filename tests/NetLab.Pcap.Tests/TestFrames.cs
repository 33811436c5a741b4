using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Frames;

namespace NetLab.Pcap.Tests;

/// <summary>Frames the tests send and write, built with NetLab.Protocols' FrameBuilder.</summary>
internal static class TestFrames
{
    public const ushort DhcpServerPort = 67;
    public const ushort DhcpClientPort = 68;

    /// <summary>A broadcast DHCPDISCOVER from 0.0.0.0:68 to 255.255.255.255:67 (RFC 2131 section 4.4.1).
    /// The BOOTP part is written by hand here: the DHCP codec is not this project's subject.</summary>
    public static byte[] DhcpDiscover(MacAddress client, uint transactionId)
    {
        var payload = new byte[240 + 4];
        payload[0] = 1; // op BOOTREQUEST
        payload[1] = 1; // htype Ethernet
        payload[2] = 6; // hlen
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(10), 0x8000); // flags: broadcast
        client.Write(payload.AsSpan(28)); // chaddr
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(236), 0x63825363); // magic cookie (RFC 2132 section 2)
        payload[240] = 53; // DHCP message type
        payload[241] = 1;
        payload[242] = 1; // DHCPDISCOVER
        payload[243] = 255; // end
        return FrameBuilder.BuildUdp(client, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, DhcpClientPort, DhcpServerPort, payload);
    }

    public static byte[] Udp(MacAddress sourceMac, MacAddress destinationMac, string sourceIp, string destinationIp, ushort destinationPort, string text) =>
        FrameBuilder.BuildUdp(sourceMac, destinationMac, IPv4Address.Parse(sourceIp), IPv4Address.Parse(destinationIp), 40000, destinationPort,
            System.Text.Encoding.ASCII.GetBytes(text));
}
