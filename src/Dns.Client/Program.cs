// Placeholder until the dns-client host lands.
return 0;
