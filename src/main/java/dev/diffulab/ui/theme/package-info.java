/**
 * How the window looks: the light and dark themes (a stylesheet over Modena plus the colours of
 * what is drawn by hand — charts, heatmap) and the font size that scales the whole UI. Depends on
 * nothing else in DiffuLab.
 */
package dev.diffulab.ui.theme;
