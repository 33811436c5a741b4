// Placeholder until the dhcp-client host lands.
return 0;
