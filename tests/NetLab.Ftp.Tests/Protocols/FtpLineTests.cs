using System.Text;
using NetLab.Protocols.Ftp;

namespace NetLab.Ftp.Tests.Protocols;

public class FtpLineTests
{
    [Theory]
    [InlineData("USER alice\r\n", "USER", "alice")]
    [InlineData("retr dir/my file.txt\r\n", "RETR", "dir/my file.txt")]
    [InlineData("PASV\r\n", "PASV", "")]
    [InlineData("NOOP", "NOOP", "")]
    [InlineData("STOR name with trailing space \r\n", "STOR", "name with trailing space ")]
    [InlineData("CWD Ünïcødé\r\n", "CWD", "Ünïcødé")]
    public void TryParseCommand_ValidLines(string line, string verb, string argument)
    {
        Assert.True(FtpCommandLine.TryParse(Encoding.UTF8.GetBytes(line), out var command));
        Assert.Equal(verb, command.Verb);
        Assert.Equal(argument, command.Argument);
    }

    [Fact]
    public void TryParseCommand_TelnetInterruptBeforeAbor_IsRemoved()
    {
        byte[] line = [0xFF, 0xF4, 0xFF, 0xF2, .. "ABOR\r\n"u8];
        Assert.True(FtpCommandLine.TryParse(line, out var command));
        Assert.Equal("ABOR", command.Verb);

        // ftplib sends the whole line as urgent data; with the urgent byte pulled out only DM remains.
        byte[] urgentStripped = [0xF2, .. "ABOR\r\n"u8];
        Assert.True(FtpCommandLine.TryParse(urgentStripped, out command));
        Assert.Equal("ABOR", command.Verb);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    [InlineData("AB\r\n")]
    [InlineData("ABCDE x\r\n")]
    [InlineData("US3R x\r\n")]
    [InlineData(" USER x\r\n")]
    public void TryParseCommand_BadVerb_Fails(string line)
        => Assert.False(FtpCommandLine.TryParse(Encoding.UTF8.GetBytes(line), out _));

    [Fact]
    public void TryParseCommand_ControlOrInvalidUtf8InArgument_Fails()
    {
        Assert.False(FtpCommandLine.TryParse("RETR a\0b\r\n"u8, out _));
        Assert.False(FtpCommandLine.TryParse("RETR a\rb\r\n"u8, out _));
        Assert.False(FtpCommandLine.TryParse([.. "RETR "u8, 0xC3, 0x28], out _));
    }

    [Fact]
    public void TryParseCommand_EveryPrefixOfGarbage_NeverThrows()
    {
        byte[] garbage = [.. "STOR x"u8, 0xFF, 0xFF, 0xFF, 0x00, 0xC3, .. "\r\n"u8];
        for (int length = 0; length <= garbage.Length; length++)
        {
            _ = FtpCommandLine.TryParse(garbage.AsSpan(0, length), out _);
        }
    }

    [Theory]
    [InlineData("220 NetLab FTP ready\r\n", 220, true, "NetLab FTP ready")]
    [InlineData("211-Features:\r\n", 211, false, "Features:")]
    [InlineData("211 End\r\n", 211, true, "End")]
    [InlineData("200", 200, true, "")]
    public void TryParseReply_ValidLines(string line, int code, bool isLast, string text)
    {
        Assert.True(FtpReplyLine.TryParse(Encoding.UTF8.GetBytes(line), out var reply));
        Assert.Equal(code, reply.Code);
        Assert.Equal(isLast, reply.IsLast);
        Assert.Equal(text, reply.Text);
        Assert.Equal(line.EndsWith("\r\n", StringComparison.Ordinal) ? line : line + " \r\n", reply.ToString());
    }

    [Theory]
    [InlineData(" UTF8\r\n")]
    [InlineData("20 x\r\n")]
    [InlineData("2000 x\r\n")]
    [InlineData("600 x\r\n")]
    [InlineData("abc x\r\n")]
    public void TryParseReply_NotACodedLine_Fails(string line)
        => Assert.False(FtpReplyLine.TryParse(Encoding.UTF8.GetBytes(line), out _));

    [Fact]
    public void IsContinuationOf_OnlyCodeSpaceEndsReply()
    {
        Assert.True(FtpReplyLine.IsContinuationOf(211, " MLST type*;size*;\r\n"u8));
        Assert.True(FtpReplyLine.IsContinuationOf(211, "211-more\r\n"u8));
        Assert.True(FtpReplyLine.IsContinuationOf(211, "200 other code\r\n"u8));
        Assert.False(FtpReplyLine.IsContinuationOf(211, "211 End\r\n"u8));
    }
}
