using NetLab.Protocols.Addressing;
using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Frames and bytes one address sent and received (a row of the top talkers): an IP address, or a MAC
/// address for frames without IP (ARP). The address is written out only for the rows the report shows.</summary>
internal sealed class Talker
{
    private readonly NetAddress? _ip;
    private readonly MacAddress _mac;
    private long _framesSent, _bytesSent, _framesReceived, _bytesReceived;

    public Talker(NetAddress ip) => _ip = ip;

    public Talker(MacAddress mac) => _mac = mac;

    public long Bytes => _bytesSent + _bytesReceived;

    public void Sent(int bytes)
    {
        _framesSent++;
        _bytesSent += bytes;
    }

    public void Received(int bytes)
    {
        _framesReceived++;
        _bytesReceived += bytes;
    }

    public TalkerRow Row() => new(_ip is { } ip ? ip.ToString() : _mac.ToString(), _framesSent, _bytesSent, _framesReceived, _bytesReceived);
}

/// <summary>Frames and bytes counted under one name (a protocol stack, a second of the capture).</summary>
internal sealed class FrameCount
{
    public long Frames { get; private set; }
    public long Bytes { get; private set; }

    public void Add(long frames, long bytes)
    {
        Frames += frames;
        Bytes += bytes;
    }
}
