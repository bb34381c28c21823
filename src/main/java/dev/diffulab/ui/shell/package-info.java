/**
 * The window around the workspaces: menus, status bar, Models menu, arguments, window preferences.
 */
package dev.diffulab.ui.shell;
