using System.Text;
using NetLab.Pcap;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Transport;
using NetLab.Sniffer.Decoding;

namespace NetLab.Sniffer.Tests;

/// <summary>Repeated messages and lines are decoded once (<see cref="DecodeMemo{T}"/>): a repeat must give what a fresh
/// decode gives, with its own DNS ID, and a password must never be remembered.</summary>
public sealed class DecodeMemoTests
{
    [Fact]
    public void Memo_GivesWhatWasAddedForTheSameBytesOnly_AndStartsOverWhenFull()
    {
        var memo = new DecodeMemo<string>(capacity: 2);
        memo.Add("one"u8, "1");
        memo.Add("two"u8, "2");
        Assert.True(memo.TryGet("one"u8, out string? one));
        Assert.Equal("1", one);
        Assert.False(memo.TryGet("onf"u8, out _));
        Assert.False(memo.TryGet("on"u8, out _));

        memo.Add("three"u8, "3");
        Assert.False(memo.TryGet("one"u8, out _));
        Assert.True(memo.TryGet("three"u8, out string? three));
        Assert.Equal("3", three);

        byte[] large = new byte[DecodeMemo<string>.MaxLength + 1];
        memo.Add(large, "large");
        Assert.False(memo.TryGet(large, out _));
        Assert.True(memo.TryGet("three"u8, out _));
    }

    [Fact]
    public void RepeatedDnsMessage_KeepsItsOwnId_AndSharesTheDecodedAnswers()
    {
        static byte[] Answer(ushort id)
        {
            var response = DnsMessage.CreateQuery(id, "ftp.lab.test", DnsRecordType.A).CreateResponse();
            response.Answers.Add(new DnsResourceRecord("ftp.lab.test", DnsRecordType.A, DnsClass.IN, 300, new DnsAddressData(System.Net.IPAddress.Parse("192.168.10.1"))));
            return TestFrames.Udp(1, "192.168.10.1", 53, 5, "192.168.10.100", 40000, response.ToArray());
        }
        var quiet = new FrameDecoder(new DecoderOptions { Summary = false });
        var first = Decode(quiet, Answer(7)).Dns!;
        var second = Decode(quiet, Answer(8)).Dns!;
        var other = Decode(quiet, TestFrames.Udp(1, "192.168.10.1", 53, 5, "192.168.10.100", 40000,
            DnsMessage.CreateQuery(9, "www.lab.test", DnsRecordType.AAAA).CreateResponse().ToArray())).Dns!;

        Assert.Equal((7, 8), (first.Id, second.Id));
        Assert.Same(first.Answers, second.Answers);
        Assert.Equal("ftp.lab.test. A", second.QuestionKey);
        Assert.Equal("192.168.10.1", Assert.Single(second.Answers).Data);
        Assert.Equal(("www.lab.test. AAAA", 9), (other.QuestionKey, other.Id));
        Assert.Empty(other.Answers);
    }

    [Fact]
    public void RepeatedFtpPass_IsMaskedEveryTime_BecauseNoPasswordIsRemembered()
    {
        static byte[] Line(string text) => TestFrames.Tcp("192.168.10.100", 50000, "192.168.10.1", 21, TcpFlags.Psh | TcpFlags.Ack, 1, 1, Encoding.ASCII.GetBytes(text));
        var quiet = new FrameDecoder(new DecoderOptions { Summary = false });
        foreach (string text in new[] { "USER alice\r\n", "PASS s3cret\r\n", "USER alice\r\n", "PASS s3cret\r\n" })
        {
            var frame = Decode(quiet, Line(text));
            var line = Assert.Single(frame.Ftp!);
            Assert.Equal(text[..4], line.Verb);
            if (line.Verb == "PASS")
            {
                Assert.Equal("****", line.Argument);
                Assert.Equal((54 + 5, "s3cret\r\n".Length), Assert.Single(frame.SensitiveRanges!));
            }
            else
            {
                Assert.Equal("alice", line.Argument);
                Assert.Null(frame.SensitiveRanges);
            }
        }
    }

    private static DecodedFrame Decode(FrameDecoder decoder, byte[] data) =>
        decoder.Decode(1, TestFrames.Start, data.Length, data, LinkType.Ethernet);
}
