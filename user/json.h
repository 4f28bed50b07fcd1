/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * json.h - JSON Lines output: one object per line, built with these helpers
 * so every string is escaped the same way.
 */
#ifndef OSLAB_JSON_H
#define OSLAB_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

/* Append s as a JSON string literal, quotes included. */
void json_str(struct strbuf *sb, const char *s);
/* Start an object with its "type" member: {"type":"name" */
void json_begin(struct strbuf *sb, const char *type);
/* ,"key":value members; json_end closes the object and writes the line. */
void json_kv_str(struct strbuf *sb, const char *key, const char *val);
void json_kv_int(struct strbuf *sb, const char *key, long long val);
void json_kv_uint(struct strbuf *sb, const char *key, unsigned long long val);
void json_end(struct strbuf *sb, FILE *f);

#endif
