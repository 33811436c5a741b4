#:property PublishAot=false
#:project ../src/NetLab.Protocols/NetLab.Protocols.csproj
#:project ../src/NetLab.Pcap/NetLab.Pcap.csproj

// Mixed lab traffic for bench/sniffer.sh, built with NetLab.Protocols:
//   dotnet run -c Release bench/sniffer-traffic.cs -- write FILE FRAMES     a pcap of FRAMES frames
//   dotnet run -c Release bench/sniffer-traffic.cs -- send IFACE PPS SECONDS  the same frames on a live NIC, paced
// Each client "session" is ARP, a DHCP exchange, DNS lookups and an FTP control connection with a data transfer.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

if (args.Length < 3 || args[0] is not ("write" or "send") || (args[0] == "send" && args.Length != 4))
{
    Console.Error.WriteLine("usage: write FILE FRAMES | send IFACE PPS SECONDS");
    return 2;
}
var serverMac = MacAddress.Parse("02:00:00:00:00:01");
var server = IPv4Address.Parse("192.168.10.1");

if (args[0] == "write")
{
    long total = long.Parse(args[2], CultureInfo.InvariantCulture);
    using var writer = PcapFileWriter.Create(args[1]);
    var time = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    long written = 0;
    for (int session = 0; written < total; session++)
    {
        foreach (byte[] frame in Session(session))
        {
            if (written == total)
            {
                break;
            }
            time = time.AddTicks(100); // 10 us apart
            writer.Write(time, frame);
            written++;
        }
    }
    Console.Error.WriteLine($"wrote {written} frames to {args[1]}");
    return 0;
}

int pps = int.Parse(args[2], CultureInfo.InvariantCulture);
double seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
using var capture = LiveCapture.Open(args[1]);
var clock = Stopwatch.StartNew();
long sent = 0;
for (int session = 0; clock.Elapsed.TotalSeconds < seconds; session++)
{
    foreach (byte[] frame in Session(session))
    {
        // Pace to the asked rate: wait until this frame's slot, spinning (sleep granularity is too coarse).
        while (sent > clock.Elapsed.TotalSeconds * pps)
        {
            Thread.SpinWait(20);
        }
        capture.Send(frame);
        sent++;
    }
}
Console.WriteLine(sent);
return 0;

IEnumerable<byte[]> Session(int n)
{
    // One lab segment: 250 clients taking turns, each session on new ports and a new transaction id.
    var mac = new MacAddress(0x0200_0001_0000UL + (ulong)(n % 250));
    var ip = new IPv4Address(192, 168, 10, (byte)(2 + (n % 250)));
    ushort port = (ushort)(20000 + (n % 40000));
    uint xid = (uint)n * 2654435761u;

    yield return FrameBuilder.BuildArp(mac, MacAddress.Broadcast, new ArpPacket { Operation = ArpOperation.Request, SenderMac = mac, SenderIp = ip, TargetIp = server });
    yield return FrameBuilder.BuildArp(serverMac, mac, new ArpPacket { Operation = ArpOperation.Reply, SenderMac = serverMac, SenderIp = server, TargetMac = mac, TargetIp = ip });
    foreach (var type in new[] { DhcpMessageType.Discover, DhcpMessageType.Offer, DhcpMessageType.Request, DhcpMessageType.Ack })
    {
        bool reply = type is DhcpMessageType.Offer or DhcpMessageType.Ack;
        var dhcp = new DhcpMessage { Operation = reply ? DhcpOperation.BootReply : DhcpOperation.BootRequest, TransactionId = xid, ClientMac = mac, MessageType = type };
        if (reply)
        {
            dhcp.YourAddress = ip;
            dhcp.ServerIdentifier = server;
            dhcp.LeaseTime = 3600;
        }
        yield return reply
            ? FrameBuilder.BuildUdp(serverMac, mac, server, ip, 67, 68, dhcp.ToArray())
            : FrameBuilder.BuildUdp(mac, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, 68, 67, dhcp.ToArray());
    }
    foreach (string name in new[] { "ftp.lab.test", "www.lab.test" })
    {
        var query = DnsMessage.CreateQuery((ushort)(n + name.Length), name, DnsRecordType.A);
        yield return FrameBuilder.BuildUdp(mac, serverMac, ip, server, port, 53, query.ToArray());
        var answer = query.CreateResponse();
        answer.IsAuthoritative = true;
        answer.Answers.Add(new DnsResourceRecord(name, DnsRecordType.A, DnsClass.IN, 300, new DnsAddressData(server.ToIPAddress())));
        yield return FrameBuilder.BuildUdp(serverMac, mac, server, ip, 53, port, answer.ToArray());
    }
    uint c = (uint)n * 7919u, s = (uint)n * 104729u;
    byte[] Tcp(bool fromClient, TcpFlags flags, byte[] payload, ushort clientPort, ushort serverPort)
    {
        var tcp = new TcpHeader
        {
            SourcePort = fromClient ? clientPort : serverPort, DestinationPort = fromClient ? serverPort : clientPort,
            Sequence = fromClient ? c : s, Acknowledgment = (flags & TcpFlags.Ack) != 0 ? (fromClient ? s : c) : 0,
            DataOffset = 5, Flags = flags, Window = 64240,
        };
        var frame = new byte[14 + 20 + 20 + payload.Length];
        new EthernetHeader { Source = fromClient ? mac : serverMac, Destination = fromClient ? serverMac : mac, EtherType = EtherType.IPv4 }.TryWrite(frame, out _);
        new IPv4Header { TotalLength = (ushort)(40 + payload.Length), Ttl = 64, Protocol = IpProtocol.Tcp, Source = fromClient ? ip : server, Destination = fromClient ? server : ip }
            .TryWrite(frame.AsSpan(14), out _);
        tcp.TryWrite(frame.AsSpan(34), out _);
        payload.CopyTo(frame, 54);
        TransportChecksum.FillIPv4(fromClient ? ip : server, fromClient ? server : ip, IpProtocol.Tcp, frame.AsSpan(34));
        uint advance = (uint)payload.Length + ((flags & (TcpFlags.Syn | TcpFlags.Fin)) != 0 ? 1u : 0u);
        if (fromClient) { c += advance; } else { s += advance; }
        return frame;
    }
    byte[] Line(string text) => Encoding.ASCII.GetBytes(text + "\r\n");
    ushort ctl = (ushort)(port + 1);
    yield return Tcp(true, TcpFlags.Syn, [], ctl, 21);
    yield return Tcp(false, TcpFlags.Syn | TcpFlags.Ack, [], ctl, 21);
    yield return Tcp(true, TcpFlags.Ack, [], ctl, 21);
    foreach (var (fromClient, text) in new[] { (false, "220 NetLab FTP ready"), (true, "USER alice"), (false, "331 Password required"), (true, "PASS wonderland"),
        (false, "230 Login successful"), (true, "PASV"), (false, "227 Entering Passive Mode (192,168,10,1,195,80)"), (true, "RETR notes.txt"), (false, "150 Opening data connection") })
    {
        yield return Tcp(fromClient, TcpFlags.Psh | TcpFlags.Ack, Line(text), ctl, 21);
    }
    ushort data = (ushort)(port + 2);
    yield return Tcp(true, TcpFlags.Syn, [], data, 50000);
    yield return Tcp(false, TcpFlags.Syn | TcpFlags.Ack, [], data, 50000);
    yield return Tcp(true, TcpFlags.Ack, [], data, 50000);
    var chunk = new byte[1448];
    for (int i = 0; i < 8; i++)
    {
        yield return Tcp(false, TcpFlags.Ack, chunk, data, 50000);
        if (i % 2 == 1)
        {
            yield return Tcp(true, TcpFlags.Ack, [], data, 50000);
        }
    }
    yield return Tcp(false, TcpFlags.Fin | TcpFlags.Ack, [], data, 50000);
    yield return Tcp(true, TcpFlags.Fin | TcpFlags.Ack, [], data, 50000);
    yield return Tcp(false, TcpFlags.Ack, [], data, 50000);
    yield return Tcp(false, TcpFlags.Psh | TcpFlags.Ack, Line("226 Transfer complete"), ctl, 21);
    yield return Tcp(true, TcpFlags.Psh | TcpFlags.Ack, Line("QUIT"), ctl, 21);
    yield return Tcp(false, TcpFlags.Psh | TcpFlags.Ack, Line("221 Goodbye"), ctl, 21);
    yield return Tcp(false, TcpFlags.Fin | TcpFlags.Ack, [], ctl, 21);
    yield return Tcp(true, TcpFlags.Fin | TcpFlags.Ack, [], ctl, 21);
    yield return Tcp(false, TcpFlags.Ack, [], ctl, 21);
}
