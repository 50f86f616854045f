/*
 * company.h: "place-normalize company": flat unit rows to the nested
 * company structure tree, and (--flatten) back.
 */
#ifndef PLACE_NORMALIZE_COMPANY_H
#define PLACE_NORMALIZE_COMPANY_H

/* argv[0] is "company".  Returns the exit status. */
int	company_main(int argc, char **argv);

#endif
