using System.Buffers.Binary;
using NetLab.Protocols.Dns;

namespace NetLab.Protocols.Tests.Dns;

public class DnsMessageTests
{
    public static TheoryData<string> Messages => DnsTestMessages.Names;

    [Theory]
    [MemberData(nameof(Messages))]
    public void WriteThenRead_GivesTheSameMessage(string name)
    {
        var original = DnsTestMessages.ByName(name);
        byte[] wire = original.ToArray();
        Assert.True(DnsMessage.TryRead(wire, out var read, out int bytesRead));
        Assert.Equal(wire.Length, bytesRead);
        Assert.Equal(DnsTestMessages.Describe(original), DnsTestMessages.Describe(read));
        Assert.Equal(original.Answers, read.Answers);
        Assert.Equal(original.Additionals, read.Additionals);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void ReadThenWrite_GivesTheSameBytes(string name)
    {
        byte[] wire = DnsTestMessages.ByName(name).ToArray();
        Assert.True(DnsMessage.TryRead(wire, out var read, out _));
        Assert.Equal(wire, read.ToArray());
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryRead_EveryTruncation_Fails(string name)
    {
        byte[] wire = DnsTestMessages.ByName(name).ToArray();
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.False(DnsMessage.TryRead(wire.AsSpan(0, length), out _, out _), $"prefix of {length} of {wire.Length} bytes parsed");
        }
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryWrite_EveryShortBuffer_Fails(string name)
    {
        var message = DnsTestMessages.ByName(name);
        int length = message.ToArray().Length;
        for (int size = 0; size < length; size++)
        {
            Assert.False(message.TryWrite(new byte[size], out _), $"wrote into {size} of {length} bytes");
        }
    }

    [Fact]
    public void TryWrite_CompressesRepeatedNames()
    {
        var message = DnsTestMessages.EveryType();
        byte[] wire = message.ToArray();
        // The question name "lab.test" is at offset 12; the first answer's owner must be a pointer to it.
        int firstAnswer = DnsHeader.Size + 10 + 4;
        Assert.Equal(0xC000 | DnsHeader.Size, BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(firstAnswer)));
    }

    [Fact]
    public void TryWrite_SrvTargetIsNotCompressed()
    {
        var message = new DnsMessage { IsResponse = true };
        message.Answers.Add(new("a.lab.test", DnsRecordType.A, DnsClass.IN, 1, new DnsAddressData(System.Net.IPAddress.Loopback)));
        message.Answers.Add(new("_x._tcp.lab.test", DnsRecordType.SRV, DnsClass.IN, 1, new DnsSrvData(1, 2, 3, "a.lab.test")));
        byte[] wire = message.ToArray();
        // RFC 2782: the SRV target appears in full at the end of the message.
        Assert.True(wire.AsSpan().EndsWith("\u0001a\u0003lab\u0004test\u0000"u8));
    }

    [Fact]
    public void ExtendedRcode_TravelsInOpt()
    {
        byte[] wire = DnsTestMessages.BadVersion().ToArray();
        Assert.Equal(0, wire[3] & 0xF);
        Assert.True(DnsMessage.TryRead(wire, out var read, out _));
        Assert.Equal(DnsResponseCode.BadVers, read.ResponseCode);
        Assert.Equal((ushort)1232, read.EdnsUdpPayloadSize);
    }

    [Fact]
    public void HeaderFlags_RoundTripBitByBit()
    {
        for (int bit = 0; bit < 16; bit++)
        {
            byte[] wire = new byte[12];
            BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(2), (ushort)(1 << bit));
            Assert.True(DnsHeader.TryRead(wire, out var header, out _));
            var message = DnsMessage.FromHeader(header);
            // Bit 6 is Z, which must be zero (RFC 1035 4.1.1); every other bit is a field.
            Assert.Equal(bit == 6 ? 0 : 1 << bit, message.Header.Flags);
        }
    }

    [Fact]
    public void TryRead_TwoOptRecords_Fails()
    {
        var message = DnsTestMessages.Query();
        message.Additionals.Add(DnsMessage.CreateOpt(512));
        Assert.False(DnsMessage.TryRead(message.ToArray(), out _, out _));
    }

    [Theory]
    [InlineData(DnsRecordType.A, 3)]
    [InlineData(DnsRecordType.AAAA, 4)]
    [InlineData(DnsRecordType.MX, 2)]
    [InlineData(DnsRecordType.SOA, 5)]
    public void TryRead_WrongRdataLength_Fails(DnsRecordType type, int rdataLength)
    {
        byte[] wire = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte)type, 0, 1, 0, 0, 0, 1, 0, (byte)rdataLength,
            .. Enumerable.Repeat((byte)0, rdataLength)];
        Assert.False(DnsMessage.TryRead(wire, out _, out _));
    }

    [Fact]
    public void TcpFraming_RoundTrips()
    {
        byte[] message = DnsTestMessages.Query().ToArray();
        byte[] stream = new byte[message.Length * 2 + 4];
        Assert.True(DnsTcpFraming.TryWriteFrame(message, stream, out int first));
        Assert.True(DnsTcpFraming.TryWriteFrame(message, stream.AsSpan(first), out int second));
        Assert.True(DnsTcpFraming.TryReadFrame(stream, out var frame, out int consumed));
        Assert.Equal(message, frame.ToArray());
        Assert.True(DnsTcpFraming.TryReadFrame(stream.AsSpan(consumed), out frame, out _));
        Assert.Equal(message, frame.ToArray());
        for (int length = 0; length < first; length++)
        {
            Assert.False(DnsTcpFraming.TryReadFrame(stream.AsSpan(0, length), out _, out _));
        }
        Assert.Equal(first + second, stream.Length);
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        var random = new Random(20261121);
        byte[][] seeds = [.. new[] { "query", "every-type", "nxdomain", "badvers" }.Select(name => DnsTestMessages.ByName(name).ToArray())];
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            byte[] frame = (byte[])seeds[i % seeds.Length].Clone();
            int flips = 1 + random.Next(8);
            for (int f = 0; f < flips; f++)
            {
                frame[random.Next(frame.Length)] = (byte)random.Next(256);
            }
            byte[] input = random.Next(4) == 0 ? frame[..random.Next(frame.Length)] : frame;
            if (DnsMessage.TryRead(input, out var message, out _))
            {
                parsed++;
                // Whatever parses must also write (or refuse cleanly), never throw.
                _ = message.TryWrite(new byte[DnsMessage.MaxSize], out _);
            }
        }
        // Mutating a byte or two leaves most messages legal: the loop really exercised the decoders.
        Assert.InRange(parsed, 1000, 100_000);
    }
}
