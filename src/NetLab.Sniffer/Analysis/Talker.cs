using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Frames and bytes one address sent and received (a row of the top talkers).</summary>
internal sealed class Talker
{
    private long _framesSent, _bytesSent, _framesReceived, _bytesReceived;

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

    public TalkerRow Row(string address) => new(address, _framesSent, _bytesSent, _framesReceived, _bytesReceived);
}
