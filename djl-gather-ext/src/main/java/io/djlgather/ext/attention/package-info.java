/**
 * Helpers for multi-head attention models and beam search built on the gather family: picking
 * one head's rows per position ({@link io.djlgather.ext.attention.Heads#selectHeads}) and
 * reordering key/value caches by beam ({@link io.djlgather.ext.attention.Heads#reorderBeams}).
 */
package io.djlgather.ext.attention;
