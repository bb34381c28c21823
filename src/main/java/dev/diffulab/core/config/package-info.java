/**
 * Run configs: the JSON sections, their defaults and ranges (an error names the key), the enum
 * names as spelled in a file, and the editable draft the Train workspace shows.
 */
package dev.diffulab.core.config;
