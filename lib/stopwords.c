/*
 * stopwords.c - function words, quote verbs and month names per language.
 *
 * The lists are our own, written for news text: the commonest articles,
 * pronouns, prepositions, conjunctions, auxiliaries and particles of each
 * language, then the verbs and phrase words that introduce a quote or a
 * source ("said", "told", "according"; Indonesian "kata", "ujarnya",
 * "menurut", "dilansir").  They serve two purposes: telling Latin-script
 * languages apart (langid.c counts hits per language) and keeping function
 * words out of topic features.  They are deliberately short: a word that
 * carries topic in any sense ("president", "government", weekdays) is not
 * here, because IDF already damps what is merely frequent.
 *
 * Words are written lower-case in NFC.  The table is keyed by the hash the
 * tokeniser gives the word (it is tokenised here, once), so lookups agree
 * with the tokens of any text exactly, after NFKC case folding and the
 * tokeniser's apostrophe joining ("don't" is "dont", "daß" is "dass").
 */
#include "stopwords.h"

#include <pthread.h>

typedef struct {
    gema_lang lang;
    const char *function_words;
    const char *quote_words;
} word_list;

static const word_list lists[] = {
    { GEMA_LANG_EN,
      "a about above after again against all also am an and any are as at be because been "
      "before being below between both but by can cannot could did do does doing done down "
      "during each either every few for from further had has have having he her here hers "
      "herself him himself his how i if in into is it its itself just me might more most "
      "must my myself neither no nor not now of off on once only onto or other others our "
      "ours ourselves out over own per same shall she should since so some such than that "
      "the their theirs them themselves then there these they this those through thus to "
      "too toward towards under until up upon us very via was we were what whatever when "
      "where whether which while who whom whose why will with within without would yet you "
      "your yours yourself yourselves dont doesnt didnt isnt wasnt arent werent cant couldnt "
      "wont wouldnt shouldnt hasnt havent hadnt im ive id youre youve theyre theyve weve "
      "thats theres whats lets hes shes its however although though among amongst across "
      "along around another any anyone anything because been being besides beyond",
      "said say says saying told tell tells telling added adds stated according asked noted "
      "explained claimed insisted argued remarked replied quoted" },
    { GEMA_LANG_ID,
      "ada adalah adanya agak agar akan akankah aku amat anda antara apa apabila apakah "
      "apalagi atas atau ataupun bagai bagaimana bagi bahkan bahwa bahwasanya baik banyak "
      "beberapa begini begitu belum berapa bersama beserta betapa bila bilamana bisa boleh "
      "bukan bukankah bukanlah cuma dahulu dalam dan dapat dari daripada demi dengan di dia "
      "dialah diri dirinya dulu engkau hal hampir hanya hanyalah harus hingga ia ialah ini "
      "inilah itu itulah jadi jangan jika jikalau juga justru kalau kalian kami kamu kan "
      "kapan karena ke kecuali kemudian kenapa kepada ketika khususnya kini kita lagi lah "
      "lain lalu lebih maka mana masih masing mau melainkan memang mereka merupakan meski "
      "meskipun mungkin namun nanti nya oleh pada padahal para pernah per pula pun punya "
      "saat saja sama sambil sampai sangat sebab sebagai sebelum sebelumnya sebenarnya "
      "secara sedang sedangkan sehingga sejak sekali sekarang selain selalu selama seluruh "
      "semua sementara sendiri seperti sering serta sesudah setelah setiap siapa sudah "
      "supaya tadi tak tanpa tapi telah tentang tentu terhadap termasuk tersebut tetapi "
      "tiap tidak toh untuk ya yaitu yakni yang nggak enggak gak sih dong kok walaupun "
      "bagaimanapun olehnya kepadanya terhadapnya",
      "kata katanya ujar ujarnya ungkap ungkapnya tutur tuturnya jelas jelasnya tegas "
      "tegasnya sebut sebutnya imbuh imbuhnya tambah tambahnya terang terangnya lanjut "
      "lanjutnya papar paparnya tandas tandasnya kilah kilahnya mengatakan menyatakan "
      "menjelaskan mengungkapkan menuturkan menegaskan menambahkan menyebutkan menurut "
      "menurutnya dikatakan melansir dilansir dikutip mengutip seru serunya" },
    { GEMA_LANG_MS,
      "ada adalah akan aku anda antara apa apabila atas atau bagaimana bagi bahawa baik "
      "banyak beberapa begitu belum beliau bersama bila boleh bukan dalam dan dapat dari "
      "daripada dengan di dia diri hanya hendaklah hingga ia ialah iaitu ini itu jadi jika "
      "juga kami kamu kepada kerana ketika kini kita lagi lain lebih maka mahupun manakala "
      "mana masih mereka mungkin namun oleh pada para pun sahaja sama sangat sebagai "
      "sebarang sebelum secara sedang sehingga sejak selain selama selepas semasa semua "
      "seperti serta sudah tanpa telah tersebut tetapi tidak turut untuk walaupun yang "
      "iaitu sebelum ini",
      "kata katanya menurut berkata memberitahu menjelaskan menyatakan menegaskan" },
    { GEMA_LANG_FR,
      "au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les "
      "leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu "
      "que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous à été étant "
      "suis es est sommes êtes sont sera seront serait était étaient fut ai avons avez ont "
      "aura auront aurait avait avaient eu ceci cela ici quel quels quelle quelles sans soi "
      "tout tous toute toutes plus moins très aussi comme si donc ni car alors après avant "
      "depuis lors sous entre contre chez vers déjà encore bien dont cependant ainsi",
      "dit déclaré affirmé indiqué expliqué ajouté souligné selon précisé estimé" },
    { GEMA_LANG_DE,
      "aber alle allem allen aller alles als also am an andere anderen auch auf aus bei bin "
      "bis bist da damit dann das dass daß dein dem den denn der des dich die dies diese "
      "diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines "
      "er es euch euer für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich "
      "ihm ihn ihnen ihr ihre ihrem ihren ihrer im in ins ist jede jedem jeden jeder jedes "
      "jetzt kann kein keine können man mehr mein mich mir mit muss nach nicht nichts noch "
      "nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so soll "
      "sondern über um und uns unser unter viel vom von vor war waren warum was weil welche "
      "wenn wer werde werden wie wieder wir wird wo wurde wurden zu zum zur zwar zwischen",
      "sagte sagt sagten erklärte betonte meinte berichtete laut" },
    { GEMA_LANG_ES,
      "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde "
      "durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta está "
      "están estaba estas este esto estos fue fueron ha han hasta hay la las le les lo los "
      "más me mi mis mucho muy nada ni no nos nosotros o otra otro otros para pero poco por "
      "porque que quien se sea ser si sí sido sin sobre son su sus también tanto tiene "
      "tienen todo todos tu tus un una uno unos unas y ya él yo",
      "dijo afirmó aseguró explicó señaló indicó según añadió declaró" },
    { GEMA_LANG_PT,
      "a ao aos as até com como da das de dela dele deles depois do dos e ela elas ele eles "
      "em entre era essa esse esta este eu foi foram há isso isto já mais mas me mesmo muito "
      "na nas nem no nos não o os ou para pela pelas pelo pelos por porque quando que quem "
      "se sem ser seu seus sua suas são também te tem têm um uma umas uns você à às é num "
      "numa",
      "disse afirmou declarou explicou segundo acrescentou disseram" },
    { GEMA_LANG_IT,
      "a ad al alla alle allo anche ancora che chi ci come con contro cui da dal dalla dai "
      "dei del della delle dello di dopo e ed era è gli ha hanno i il in io la le lei lo "
      "loro lui ma mi ne nei nel nella non noi o per perché più però poi quale quando "
      "quello questa questo se si sia siamo sono sta su sua sue suo suoi sul sulla tra tu "
      "tutti tutto un una uno",
      "detto dichiarato spiegato secondo affermato aggiunto sottolineato" },
    { GEMA_LANG_NL,
      "aan al als bij dan dat de der deze die dit doch door dus een en er geen had heb "
      "hebben heeft hem het hier hij hoe hun ik in is ja je kan kon maar me men met mij "
      "mijn na naar niet niets nog nu of om omdat ons ook op over te tegen toch toen tot u "
      "uit van veel voor want waren was wat we wel werd wie wij wil worden zal ze zelf zich "
      "zij zijn zo zonder zou",
      "zei zegt aldus verklaarde volgens" },
    { GEMA_LANG_SV,
      "alla allt att av blev bli blir de dem den denna deras dess det detta dig din du där "
      "efter ej eller en er ett från för ha hade han hans har henne hennes hon honom hur "
      "här i icke ingen inom inte jag ju kan kunde man med mellan men mig min mot mycket ni "
      "nu när någon något några och om oss på samma sedan sig sin sina själv skulle som så "
      "sådan till under upp ut utan vad var vara varför varit vi vid vilka vilken är än",
      "sade sa säger enligt" },
    { GEMA_LANG_DA,
      "af alle andet andre at begge da de den denne der deres det dette dig din dog du "
      "efter eller en end er et for fra ham han hans har havde hende hendes her hos hun "
      "hvad hvis hvor i ikke ind jeg jer kan kunne man mange med meget men mig min mod ned "
      "noget nogle nu når og også om op os over på sig sin skal skulle som sådan til ud "
      "under var vi vil ville vor være været",
      "sagde siger ifølge" },
    { GEMA_LANG_NO,
      "alle at av bare begge ble bli blir da de deg dem den denne der dere det dette din "
      "disse du eller en enn er et etter for fra før han hans har hadde henne hennes her "
      "hun hva hvis hvor i ikke inn jeg kan kunne man med meg men mot mye når og også om "
      "opp oss over på seg selv sin sine skal skulle som så til under ut var vi vil ville "
      "vår være vært",
      "sa sier ifølge" },
    { GEMA_LANG_FI,
      "ja on ei se että hän oli ovat mutta kun niin jos myös tai olla ole sen siitä sitä "
      "joka jotka kuin mitä mikä tämä nämä ne he me te minä sinä hänen heidän meidän vain "
      "vielä jo nyt sekä koska kanssa jälkeen ennen aikana kuitenkin voi olisi olivat "
      "ollut ollaan",
      "sanoi sanoo mukaan kertoi" },
    { GEMA_LANG_TR,
      "acaba ama ancak aslında az bazı belki ben beni benim bile bir biraz birçok biri "
      "birkaç bu buna bunu bunun çok çünkü da daha de değil en gibi hem hep hepsi her hiç "
      "için ile ise kadar ki kim mi mu mü nasıl ne neden nerede niye o olan olarak oldu "
      "olduğu olduğunu olmak olup ona onlar onu onun sadece sen siz şey şu tüm ve veya ya "
      "yani",
      "dedi diye söyledi açıkladı göre belirtti" },
    { GEMA_LANG_RO,
      "a acea aceasta această aceste acest acesta al ale are au ca care cu cum că de din "
      "după este eu fi fie fost în la le lor mai mult ne nici nu o or pe pentru prin să "
      "se si sunt şi și sau spre sub un una unei unui",
      "declarat spus potrivit" },
    { GEMA_LANG_HU,
      "a az és hogy nem is egy de meg van volt azt ez már csak mint ki mi el még le fel ha "
      "ami amely amelyek amit akkor aki után között pedig vagy sem lesz lett kell lehet "
      "minden nagyon most itt ott",
      "mondta közölte szerint" },
    { GEMA_LANG_CA,
      "a al als amb com de del dels el els en és era es fa ha han i la les li lo més na no "
      "o per però perquè que qui s se sense ser seu seva seus són sobre també tot un una "
      "uns unes va van",
      "dir segons afirmat" },
    { GEMA_LANG_RU,
      "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по "
      "только ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну ли если "
      "уже или ни быть был него до вас опять уж вам ведь там потом себя ничего ей может "
      "они тут где есть надо ней для мы тебя их чем была сам без будто чего раз тоже себе "
      "под будет ж тогда кто этот того потому этого какой ним здесь этом один почти мой тем "
      "чтобы нее сейчас были куда всех можно при об другой хоть после над больше тот через "
      "эти нас про всего них какая много три эту моя свою этой перед том такой им более "
      "всегда между также",
      "сказал сказала заявил заявила сообщил сообщила отметил словам" },
    { GEMA_LANG_EL,
      "και το η ο να του της την των τα σε με για που από στο στην στη θα δεν είναι ότι οι "
      "τον ένα μια στα στις στους ως αλλά ή πως όπως επίσης αυτό αυτή αυτά",
      "δήλωσε είπε ανέφερε" },
    { GEMA_LANG_AR,
      "في من على إلى الى عن أن ان إن مع هذا هذه التي الذي كان قد لا ما هو هي ذلك كل بعد "
      "بين أو او ثم حتى عند لم لن وقد وفي كما أي غير منذ تلك هناك",
      "قال وقال قالت أضاف وأضاف أكد" },
    { GEMA_LANG_HI,
      "का के की है में और को से पर यह वह था थे थी हैं भी एक लिए तो ही कि नहीं या गया किया "
      "कर रहा रही होता हो इस उस इसके उसके जो तक साथ बाद",
      "कहा बताया" },
    { GEMA_LANG_NE,
      "र को मा छ हो पनि एक यो त्यो ले लाई गर्न भएको थियो गरेको छन् तथा",
      "बताए भने" },
};

/* Month names and common abbreviations; a month only counts where a day
 * number stands next to it (termvec.c), so "may" and "mar" are safe here. */
static const char *const months[12] = {
    "january jan januari janvier januar enero janeiro gennaio",
    "february feb februari février februar febrero fevereiro febbraio",
    "march mar maret mac mars märz marzo março maart",
    "april apr avril abril aprile",
    "may mei mai mayo maio maggio",
    "june jun juni juin junio junho giugno",
    "july jul juli julai juillet julio julho luglio",
    "august aug agustus agu ogos août agosto augustus",
    "september sep sept septembre septiembre setiembre setembro settembre",
    "october oct oktober okt octobre octubre outubro ottobre",
    "november nov novembre noviembre novembro",
    "december dec desember des disember décembre dezember diciembre dezembro dicembre",
};

/* Weekday names: not names of people or places, though capitalised in many
 * languages; termvec.c keeps them out of the names channel. */
static const char weekdays[] =
    "monday tuesday wednesday thursday friday saturday sunday senin isnin selasa rabu "
    "kamis khamis jumat sabtu minggu ahad lundi mardi mercredi jeudi vendredi samedi "
    "dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag lunes martes "
    "miércoles jueves viernes sábado domingo segunda terça quarta quinta sexta feira "
    "lunedì martedì mercoledì giovedì venerdì sabato domenica maandag dinsdag woensdag "
    "donderdag vrijdag zaterdag zondag";

/* An entry is in use when its info is not 0: every word added sets a
 * language bit, a month or the weekday bit. */
typedef struct {
    uint64_t hash;
    gema_swinfo info;
} entry;

#define TABLE_BITS 13
#define TABLE_SIZE (1u << TABLE_BITS)

/* Most tokens of a text are not in the table, and the table (128 KiB) is
 * not in the L1 cache: a bit per hash of the words first (4 KiB, one in
 * eleven of other words passes). */
#define FILTER_BITS 15
static uint64_t filter[(1u << FILTER_BITS) / 64];
static entry table[TABLE_SIZE];
static uint32_t quote_langs[TABLE_SIZE]; /* per slot, for gema_stopword_flags alone */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_status = GEMA_ERR_STATE;

static size_t slot(uint64_t h)
{
    size_t i = (size_t)(h >> (64 - TABLE_BITS));
    while (table[i].info && table[i].hash != h) i = (i + 1) & (TABLE_SIZE - 1);
    return i;
}

static inline gema_swinfo info_of(uint64_t h)
{
    uint32_t b = (uint32_t)h & ((1u << FILTER_BITS) - 1);
    if (!(filter[b >> 6] & (1ULL << (b & 63)))) return 0;
    return table[slot(h)].info;
}

/* Tokenise a space-separated list and apply fn to the hash of each word. */
static int each_word(gema_tokenizer *t, const char *words, size_t *count,
                     void (*fn)(uint64_t h, void *arg), void *arg)
{
    int rc = gema_tokenize(t, words, strlen(words), 0);
    if (rc != GEMA_OK) return rc;
    for (size_t i = 0; i < t->count; i++) fn(t->hash[i], arg);
    *count += t->count;
    return GEMA_OK;
}

typedef struct {
    uint32_t function_bit, quote_bit;
    uint8_t month, weekday;
} add_arg;

static void add(uint64_t h, void *p)
{
    const add_arg *a = p;
    size_t i = slot(h);
    entry *e = &table[i];
    uint32_t b = (uint32_t)h & ((1u << FILTER_BITS) - 1);
    filter[b >> 6] |= 1ULL << (b & 63);
    e->hash = h;
    e->info |= (gema_swinfo)a->function_bit |
               ((gema_swinfo)(a->function_bit | a->quote_bit) << GEMA_SWINFO_STOP_SHIFT);
    quote_langs[i] |= a->quote_bit;
    if (a->month && !gema_swinfo_month(e->info)) e->info |= (gema_swinfo)a->month << 56;
    if (a->weekday) e->info |= (gema_swinfo)1 << 60;
}

static void build(void)
{
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    size_t count = 0;
    int rc = GEMA_OK;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0] && rc == GEMA_OK; i++) {
        /* The packed info has room for the list languages' bits below 24. */
        if (lists[i].lang >= GEMA_SWINFO_STOP_LANGS) {
            rc = GEMA_ERR_STATE;
            break;
        }
        uint32_t bit = 1u << lists[i].lang;
        add_arg f = { bit, 0, 0, 0 }, q = { 0, bit, 0, 0 };
        rc = each_word(&t, lists[i].function_words, &count, add, &f);
        if (rc == GEMA_OK) rc = each_word(&t, lists[i].quote_words, &count, add, &q);
    }
    for (unsigned m = 0; m < 12 && rc == GEMA_OK; m++) {
        add_arg a = { 0, 0, (uint8_t)(m + 1), 0 };
        rc = each_word(&t, months[m], &count, add, &a);
    }
    if (rc == GEMA_OK) {
        add_arg a = { 0, 0, 0, 1 };
        rc = each_word(&t, weekdays, &count, add, &a);
    }
    gema_tokenizer_free(&t);
    /* The table holds every word with room to spare (load well under 1/2). */
    if (rc == GEMA_OK && count > TABLE_SIZE / 2) rc = GEMA_ERR_TOO_BIG;
    init_status = rc;
}

int gema_stopwords_init(void)
{
    if (pthread_once(&once, build) != 0) return GEMA_ERR_STATE;
    return init_status;
}

gema_swinfo gema_stopword_info(uint64_t h)
{
    return init_status == GEMA_OK ? info_of(h) : 0;
}

void gema_stopword_infos(const uint64_t *hash, size_t n, gema_swinfo *out)
{
    if (init_status != GEMA_OK) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    for (size_t i = 0; i < n; i++) out[i] = info_of(hash[i]);
}

unsigned gema_stopword_flags(gema_lang lang, uint64_t h)
{
    if (init_status != GEMA_OK || lang <= GEMA_LANG_UND || lang >= GEMA_LANG_COUNT) return 0;
    gema_swinfo in = info_of(h);
    if (!in) return 0;
    uint32_t bit = 1u << lang;
    return ((gema_swinfo_function_langs(in) & bit) ? GEMA_STOP_FUNCTION : 0u) |
           ((quote_langs[slot(h)] & bit) ? GEMA_STOP_QUOTE : 0u);
}

uint32_t gema_stopword_langs(uint64_t h)
{
    return gema_swinfo_function_langs(gema_stopword_info(h));
}

unsigned gema_month_of(uint64_t h)
{
    return gema_swinfo_month(gema_stopword_info(h));
}

int gema_is_weekday(uint64_t h)
{
    return gema_swinfo_weekday(gema_stopword_info(h));
}

const char *gema_stopword_list(gema_lang lang, const char **quotes)
{
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (lists[i].lang == lang) {
            if (quotes) *quotes = lists[i].quote_words;
            return lists[i].function_words;
        }
    if (quotes) *quotes = "";
    return "";
}
