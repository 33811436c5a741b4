using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Protocols.Tests.Dhcp;

/// <summary>Messages shared by the round-trip, truncation and mutation tests.</summary>
public static class DhcpTestMessages
{
    public static DhcpMessage Discover()
    {
        var message = new DhcpMessage { TransactionId = 0x3903F326, Broadcast = true, ClientMac = MacAddress.Parse("02:00:00:00:00:01") };
        message.MessageType = DhcpMessageType.Discover;
        message.ClientIdentifier = [1, 2, 0, 0, 0, 0, 1];
        message.RequestedIPAddress = IPv4Address.Parse("192.168.10.150");
        message.ParameterRequestList = [DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer, DhcpOptionCode.DomainName];
        message.MaxMessageSize = 1500;
        message.VendorClassIdentifier = "udhcp 1.36.1";
        message.HostName = "client1";
        return message;
    }

    public static DhcpMessage Offer()
    {
        var message = new DhcpMessage
        {
            Operation = DhcpOperation.BootReply,
            TransactionId = 0xDEADBEEF,
            Seconds = 3,
            Hops = 1,
            ClientMac = MacAddress.Parse("02:00:00:00:00:02"),
            YourAddress = IPv4Address.Parse("192.168.10.101"),
            ServerAddress = IPv4Address.Parse("192.168.10.1"),
            GatewayAddress = IPv4Address.Parse("192.168.20.1"),
            ServerName = "netlab",
            BootFileName = "pxelinux.0",
        };
        message.MessageType = DhcpMessageType.Offer;
        message.ServerIdentifier = IPv4Address.Parse("192.168.10.1");
        message.LeaseTime = 3600;
        message.RenewalTime = 1800;
        message.RebindingTime = 3150;
        message.SubnetMask = IPv4Address.Parse("255.255.255.0");
        message.BroadcastAddress = IPv4Address.Parse("192.168.10.255");
        message.Routers = [IPv4Address.Parse("192.168.10.1")];
        message.DnsServers = [IPv4Address.Parse("192.168.10.1"), IPv4Address.Parse("9.9.9.9")];
        message.DomainName = "lab.test";
        // An option this codec does not interpret (classless static routes) must come back unchanged.
        message.SetOption(new DhcpOption(DhcpOptionCode.ClasslessStaticRoute, new byte[] { 24, 10, 0, 0, 192, 168, 10, 254 }));
        message.SetOption(new DhcpOption((DhcpOptionCode)224, new byte[] { 0xAA, 0x00, 0xFF }));
        return message;
    }

    /// <summary>A reply with an option longer than 255 octets (split on write, RFC 3396) and an empty option.</summary>
    public static DhcpMessage LongOption()
    {
        var message = new DhcpMessage { Operation = DhcpOperation.BootReply, TransactionId = 7, ClientMac = MacAddress.Parse("02:00:00:00:00:03") };
        message.MessageType = DhcpMessageType.Ack;
        var routes = new byte[600];
        new Random(1).NextBytes(routes);
        message.SetOption(new DhcpOption(DhcpOptionCode.ClasslessStaticRoute, routes));
        message.SetOption(new DhcpOption((DhcpOptionCode)80, ReadOnlyMemory<byte>.Empty)); // rapid commit (RFC 4039): zero length
        return message;
    }

    public static TheoryData<string> Names => new() { nameof(Discover), nameof(Offer), nameof(LongOption) };

    public static DhcpMessage ByName(string name) => name switch
    {
        nameof(Discover) => Discover(),
        nameof(Offer) => Offer(),
        nameof(LongOption) => LongOption(),
        _ => throw new ArgumentException(name),
    };
}

