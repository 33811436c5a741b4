namespace NetLab.Sniffer.Decoding;

/// <summary>Relative TCP sequence numbers the way tcpdump prints them (print-tcp.c): the first segment with
/// ACK set (normally the SYN-ACK) records both initial sequence numbers and is printed absolute; later
/// segments of the connection print seq and ack relative to them.</summary>
internal sealed class TcpSequenceBases
{
    /// <summary>Connections remembered; past this the table restarts (a long capture must not grow without bound).</summary>
    private const int MaxConnections = 1_000_000;

    private readonly Dictionary<(NetAddress, ushort, NetAddress, ushort), (uint Seq, uint Ack)> _bases = [];

    public (uint Seq, uint Ack) Relativize(NetAddress source, ushort sourcePort, NetAddress destination, ushort destinationPort,
        uint seq, uint ack, bool syn)
    {
        int order = source.CompareTo(destination);
        bool reversed = order > 0 || (order == 0 && sourcePort > destinationPort);
        var key = reversed ? (destination, destinationPort, source, sourcePort) : (source, sourcePort, destination, destinationPort);
        if (!syn && _bases.TryGetValue(key, out var bases))
        {
            return reversed ? (seq - bases.Ack, ack - bases.Seq) : (seq - bases.Seq, ack - bases.Ack);
        }
        if (_bases.Count >= MaxConnections)
        {
            _bases.Clear();
        }
        _bases[key] = reversed ? (ack - 1, seq) : (seq, ack - 1);
        return (seq, ack);
    }
}
