using NetLab.Protocols.Dns;

namespace NetLab.Protocols.Tests.Dns;

public class DnsNameTests
{
    /// <summary>Shared by the read and the write tests: presentation form and uncompressed wire form.</summary>
    public static TheoryData<string, byte[]> NameData => new()
    {
        { "www.example.com", "\u0003www\u0007example\u0003com\u0000"u8.ToArray() },
        { "example.com", "\u0007example\u0003com\u0000"u8.ToArray() },
        { "com", "\u0003com\u0000"u8.ToArray() },
        { "", [0] },
        { @"a\.b.c", "\u0003a.b\u0001c\u0000"u8.ToArray() },
        { @"a\\b", "\u0003a\\b\u0000"u8.ToArray() },
        { @"\000\255\032x", [4, 0, 255, 32, (byte)'x', 0] },
        { new string('a', 63), [63, .. Enumerable.Repeat((byte)'a', 63), 0] },
    };

    [Theory]
    [MemberData(nameof(NameData))]
    public void TryEncode_WritesWireForm(string name, byte[] wire)
    {
        byte[] buffer = new byte[DnsName.MaxWireLength];
        Assert.True(DnsName.TryEncode(name, buffer, out int length));
        Assert.Equal(wire, buffer[..length]);
    }

    [Theory]
    [MemberData(nameof(NameData))]
    public void TryRead_ReadsWireForm(string name, byte[] wire)
    {
        Assert.True(DnsName.TryRead(wire, 0, out string? read, out int bytesRead));
        Assert.Equal(name, read);
        Assert.Equal(wire.Length, bytesRead);
    }

    [Theory]
    [MemberData(nameof(NameData))]
    public void TryRead_EveryTruncation_Fails(string name, byte[] wire)
    {
        _ = name;
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.False(DnsName.TryRead(wire.AsSpan(0, length), 0, out _, out _), $"prefix of {length} bytes");
        }
    }

    [Fact]
    public void TryEncode_TrailingDot_IsTheSameName()
    {
        byte[] a = new byte[255], b = new byte[255];
        Assert.True(DnsName.TryEncode("lab.test.", a, out int la));
        Assert.True(DnsName.TryEncode("lab.test", b, out int lb));
        Assert.Equal(a[..la], b[..lb]);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData(@"a\")]
    [InlineData(@"a\25")]
    [InlineData(@"a\256")]
    [InlineData("caf\u20ac")]
    public void TryEncode_Malformed_Fails(string name) => Assert.False(DnsName.TryEncode(name, new byte[255], out _));

    [Fact]
    public void TryEncode_LabelOver63_Fails() => Assert.False(DnsName.TryEncode(new string('a', 64) + ".test", new byte[255], out _));

    [Fact]
    public void TryEncode_NameOver255_Fails()
    {
        // 4 labels of 63 = 4 * 64 + 1 = 257 octets on the wire.
        string name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        Assert.False(DnsName.TryEncode(name, new byte[300], out _));
        // 3 labels of 63 and one of 61 = 255 octets: the largest legal name.
        string largest = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        Assert.True(DnsName.TryEncode(largest, new byte[300], out int length));
        Assert.Equal(255, length);
    }

    [Fact]
    public void TryRead_LabelOver63_Fails()
    {
        // 0x40 and 0x80 length bytes are the reserved label types, not lengths.
        byte[] wire = [64, .. Enumerable.Repeat((byte)'a', 64), 0];
        Assert.False(DnsName.TryRead(wire, 0, out _, out _));
    }

    [Fact]
    public void TryRead_NameOver255_Fails()
    {
        byte[] label = [63, .. Enumerable.Repeat((byte)'a', 63)];
        byte[] wire = [.. label, .. label, .. label, .. label, 0];
        Assert.False(DnsName.TryRead(wire, 0, out _, out _));
    }

    [Fact]
    public void TryRead_BackwardPointer_Follows()
    {
        byte[] message = [.. "\u0004test\u0000"u8, 3, (byte)'l', (byte)'a', (byte)'b', 0xC0, 0x00];
        Assert.True(DnsName.TryRead(message, 6, out string? name, out int bytesRead));
        Assert.Equal("lab.test", name);
        Assert.Equal(6, bytesRead);
    }

    [Fact]
    public void TryReadName_ForwardPointer_Fails()
    {
        byte[] message = [0xC0, 0x02, 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0];
        Assert.False(DnsName.TryRead(message, 0, out _, out _));
    }

    [Fact]
    public void TryReadName_PointerToItself_Fails()
    {
        byte[] message = [0, 0, 0xC0, 0x02];
        Assert.False(DnsName.TryRead(message, 2, out _, out _));
    }

    [Fact]
    public void TryReadName_PointerLoopThroughLabels_Fails()
    {
        // A label at 0 whose run ends in a pointer back to 0: the pointer does not point before its own run.
        byte[] message = [1, (byte)'a', 0xC0, 0x00];
        Assert.False(DnsName.TryRead(message, 0, out _, out _));
        // Entering at 2 the first jump is legal, the second (to 0 again, from the run that starts at 0) is not.
        Assert.False(DnsName.TryRead(message, 2, out _, out _));
    }

    [Fact]
    public void TryReadName_ReservedLabelType_Fails()
    {
        Assert.False(DnsName.TryRead([0x41, 0], 0, out _, out _));
        Assert.False(DnsName.TryRead([0x81, 0], 0, out _, out _));
    }

    [Theory]
    [InlineData("www.lab.test", "lab.test", true)]
    [InlineData("lab.test", "LAB.test", true)]
    [InlineData("xlab.test", "lab.test", false)]
    [InlineData("a.b", "", true)]
    [InlineData(@"a\.lab.test", "lab.test", false)]
    public void IsSubdomainOf(string name, string zone, bool expected) => Assert.Equal(expected, DnsName.IsSubdomainOf(name, zone));
}
