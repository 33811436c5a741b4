using BenchmarkDotNet.Attributes;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Benchmarks;

/// <summary>Parsing a typical DHCP REQUEST (what a server receives most): the zero-allocation view of the
/// fixed part plus the options a server looks at first, against the full decode into DhcpMessage.</summary>
[MemoryDiagnoser]
public class DhcpParseBenchmarks
{
    private readonly byte[] _request = BuildRequest();
    private readonly DhcpMessage _reply = BuildReply();
    private readonly byte[] _buffer = new byte[1500];

    [Benchmark(Baseline = true)]
    public uint ViewFixedPartAndServerOptions()
    {
        if (!DhcpMessageView.TryCreate(_request, out var view) || !view.HasMagicCookie)
        {
            return 0;
        }
        uint sum = view.TransactionId ^ view.ClientAddress.Value ^ view.GatewayAddress.Value ^ (uint)view.ClientMac.Value;
        sum ^= (uint)(view.MessageType ?? 0);
        if (view.TryGetOption(DhcpOptionCode.RequestedIPAddress, out var requested) && requested.Length == 4)
        {
            sum ^= IPv4Address.Read(requested).Value;
        }
        if (view.TryGetOption(DhcpOptionCode.ServerIdentifier, out var serverId) && serverId.Length == 4)
        {
            sum ^= IPv4Address.Read(serverId).Value;
        }
        return sum;
    }

    [Benchmark]
    public int FullMessage() =>
        DhcpMessage.TryRead(_request, out var message, out _) ? message!.Options.Count : -1;

    [Benchmark]
    public int WriteReply() => _reply.Write(_buffer);

    private static byte[] BuildRequest()
    {
        var request = new DhcpMessage { TransactionId = 0x1234ABCD, ClientMac = MacAddress.Parse("02:00:00:00:00:01") };
        request.MessageType = DhcpMessageType.Request;
        request.ClientIdentifier = [1, 2, 0, 0, 0, 0, 1];
        request.RequestedIPAddress = IPv4Address.Parse("192.168.10.101");
        request.ServerIdentifier = IPv4Address.Parse("192.168.10.1");
        request.MaxMessageSize = 576;
        request.VendorClassIdentifier = "udhcp 1.36.1";
        request.HostName = "client1";
        request.ParameterRequestList = [DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer,
            DhcpOptionCode.HostName, DhcpOptionCode.DomainName, DhcpOptionCode.BroadcastAddress, DhcpOptionCode.NtpServers];
        return request.ToArray();
    }

    private static DhcpMessage BuildReply()
    {
        var reply = new DhcpMessage { Operation = DhcpOperation.BootReply, TransactionId = 0x1234ABCD, ClientMac = MacAddress.Parse("02:00:00:00:00:01") };
        reply.YourAddress = IPv4Address.Parse("192.168.10.101");
        reply.MessageType = DhcpMessageType.Ack;
        reply.ServerIdentifier = IPv4Address.Parse("192.168.10.1");
        reply.LeaseTime = 3600;
        reply.SubnetMask = IPv4Address.Parse("255.255.255.0");
        reply.Routers = [IPv4Address.Parse("192.168.10.1")];
        reply.DnsServers = [IPv4Address.Parse("192.168.10.1")];
        reply.DomainName = "lab.test";
        return reply;
    }
}
