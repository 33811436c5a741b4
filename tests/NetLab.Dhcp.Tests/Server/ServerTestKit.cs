using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dhcp.Leases;
using NetLab.Dhcp.Server;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Tests.Server;

/// <summary>A clock the tests move by hand.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A server core on 192.168.10.0/24 (pool .100-.104) and the client messages of RFC 2131.</summary>
public sealed class ServerTestKit
{
    public static readonly IPv4Address ServerIp = IPv4Address.Parse("192.168.10.1");
    public static readonly MacAddress ReservedMac = MacAddress.Parse("02:00:00:00:00:aa");
    public static readonly IPv4Address ReservedIp = IPv4Address.Parse("192.168.10.10");

    public ServerTestKit(bool arpProbe = false, IDictionary<IPv4Address, Lease>? replayed = null, int poolSize = 5)
    {
        Config = new DhcpServerConfig
        {
            InterfaceName = "eth0",
            ServerIp = ServerIp,
            ServerMac = MacAddress.Parse("02:00:00:00:00:fe"),
            RangeStart = IPv4Address.Parse("192.168.10.100"),
            RangeEnd = new IPv4Address(IPv4Address.Parse("192.168.10.100").Value + (uint)poolSize - 1),
            SubnetMask = IPv4Address.Parse("255.255.255.0"),
            Routers = [ServerIp],
            DnsServers = [ServerIp],
            Domain = "lab.test",
            LeaseTime = TimeSpan.FromHours(1),
            Reservations = new Dictionary<MacAddress, IPv4Address> { [ReservedMac] = ReservedIp },
            ArpProbe = arpProbe,
            ExtraOptions = [DhcpOption.FromAddresses(DhcpOptionCode.NtpServers, [ServerIp])],
        };
        Core = new DhcpServerCore(Config, replayed ?? new Dictionary<IPv4Address, Lease>(), NullLogger.Instance, Time);
    }

    public DhcpServerConfig Config { get; }
    public ManualTime Time { get; } = new();
    public DhcpServerCore Core { get; }

    public static MacAddress Mac(int n) => new(0x0200_0000_0000UL + (ulong)n);

    public static DhcpMessage Message(DhcpMessageType type, MacAddress mac, uint xid = 1)
    {
        var message = new DhcpMessage { TransactionId = xid, ClientMac = mac };
        message.MessageType = type;
        return message;
    }

    public DhcpOutcome Discover(MacAddress mac, IPv4Address? requested = null, bool broadcast = false)
    {
        var discover = Message(DhcpMessageType.Discover, mac);
        discover.RequestedIPAddress = requested;
        discover.Broadcast = broadcast;
        return Core.Handle(discover, mac);
    }

    /// <summary>SELECTING: server identifier and requested address.</summary>
    public DhcpOutcome Select(MacAddress mac, IPv4Address address, IPv4Address? serverId = null)
    {
        var request = Message(DhcpMessageType.Request, mac);
        request.ServerIdentifier = serverId ?? ServerIp;
        request.RequestedIPAddress = address;
        return Core.Handle(request, mac);
    }

    /// <summary>DISCOVER, OFFER, REQUEST, ACK; returns the ACKed address.</summary>
    public IPv4Address Dora(MacAddress mac)
    {
        var offer = Discover(mac).Reply ?? throw new InvalidOperationException("no offer");
        var ack = Select(mac, offer.YourAddress).Reply!;
        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        return ack.YourAddress;
    }
}
